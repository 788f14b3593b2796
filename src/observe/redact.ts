/**
 * Redaction applied to every text a sink keeps or exports: credential-looking strings and registered secrets are
 * always replaced, then the user's own `redact` hook runs. Pure functions, no state.
 */

export const REDACTED = "[REDACTED]";

/**
 * Credentials we never store: OpenAI/Anthropic/xAI/Groq keys (`sk-…`), Google (`AIza…`, `ya29.…`), AWS access
 * keys, GitHub tokens (`ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_`, `github_pat_`), Slack tokens (`xoxb-` and kin),
 * Stripe keys (`sk_live_`, `rk_test_`…), bearer tokens, bare JWTs, and `api_key=…`-style pairs (also inside
 * JSON-escaped text, where the quotes carry a backslash).
 */
const credentialPatterns: RegExp[] = [
  /\bsk-(?:ant-|proj-|svcacct-|admin-)?[A-Za-z0-9_-]{16,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/-]{8,}=*/gi,
  /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
  /\bya29\.[0-9A-Za-z_-]{20,}/g,
  /\b(?:xai|gsk|pplx)-[A-Za-z0-9]{20,}\b/g,
  /\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}/g,
  /\b(api[_-]?key|x-api-key|authorization|access[_-]?token|client[_-]?secret|secret[_-]?access[_-]?key|password)(\\?["']?\s*[:=]\s*\\?["']?)[^\s"',}\\]{8,}/gi,
];

/**
 * A superset of every pattern's fixed part, case-insensitive: one scan rules out the common text with no
 * credential in it (~0.4 µs instead of ~1.9 µs for a call's three texts, measured).
 */
const mayHoldCredential =
  /sk-|bearer|akia|asia|aiza|ya29\.|xai-|gsk-|pplx-|gh[pousr]_|github_pat_|xox[abposr]-|[srp]k_(?:live|test)_|eyJ|api[_-]?key|authorization|access[_-]?token|client[_-]?secret|secret[_-]?access|password/i;

const replaceMatch = (_match: string, name?: unknown, sep?: unknown): string =>
  typeof name === "string" && typeof sep === "string" ? `${name}${sep}${REDACTED}` : REDACTED;

export function redactCredentials(text: string): string {
  if (!mayHoldCredential.test(text)) return text;
  let out = text;
  for (const re of credentialPatterns) out = out.replace(re, replaceMatch);
  return out;
}

/** The user's own patterns, each made global (a pattern without the `g` flag would replace only its first match). */
export function globalPatterns(patterns: readonly RegExp[]): RegExp[] {
  return patterns.map((re) => {
    if (!(re instanceof RegExp)) throw new TypeError("redact.patterns must hold RegExp objects");
    return re.global ? re : new RegExp(re.source, `${re.flags}g`);
  });
}

/** Replaces every match of each (global) pattern. */
export function redactPatterns(text: string, patterns: readonly RegExp[]): string {
  let out = text;
  for (const re of patterns) {
    re.lastIndex = 0;
    out = out.replace(re, REDACTED);
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
