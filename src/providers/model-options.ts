/**
 * What every provider factory (`openai()`, `anthropic()`, `google()`, `aiSdk()`) checks of its arguments
 * before it builds a model, and the credentials a model reports for redaction.
 */
import { ConfigurationError } from "../errors/index.js";

/** RFC 9110 `token`: the characters an HTTP header name may hold. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** A header value may not hold CR, LF or NUL (they would split or end the header). */
const HEADER_VALUE_BAD = /[\r\n\0]/;

/** Throws a ConfigurationError naming `where` when `headers` is not an object of valid header names and values. */
export function checkHeaders(headers: unknown, where: string): void {
  if (headers === undefined) return;
  if (headers === null || typeof headers !== "object" || Array.isArray(headers))
    throw new ConfigurationError(`${where}: headers must be an object of header names to string values, got ${describe(headers)}`);
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new ConfigurationError(`${where}: header name ${JSON.stringify(name)} is not a valid HTTP token`);
    if (typeof value !== "string")
      throw new ConfigurationError(`${where}: header ${JSON.stringify(name)} must be a string, got ${describe(value)}`);
    if (HEADER_VALUE_BAD.test(value))
      throw new ConfigurationError(`${where}: header ${JSON.stringify(name)} holds a CR, LF or NUL character, which HTTP does not allow`);
  }
}

/**
 * Checks a factory's common arguments: a non-empty model name, an options object (or none), its `mode` among
 * `modes`, its `headers`. `fn` names the factory in messages, e.g. "anthropic()".
 */
export function checkModelArgs(fn: string, model: unknown, options: unknown, modes: readonly string[]): void {
  if (typeof model !== "string" || model.trim() === "") throw new ConfigurationError(`${fn}: the model name must be a non-empty string`);
  if (options === undefined) return;
  if (options === null || typeof options !== "object" || Array.isArray(options))
    throw new ConfigurationError(`${fn}: options must be an object, got ${describe(options)}`);
  const o = options as { mode?: unknown; headers?: unknown; apiKey?: unknown };
  if (o.mode !== undefined && !modes.includes(o.mode as string))
    throw new ConfigurationError(`${fn}: mode must be one of ${modes.map((m) => JSON.stringify(m)).join(", ")}, got ${describe(o.mode)}`);
  if (o.apiKey !== undefined && (typeof o.apiKey !== "string" || o.apiKey === ""))
    throw new ConfigurationError(`${fn}: apiKey must be a non-empty string`);
  checkHeaders(o.headers, fn);
}

/**
 * The strings a model authenticates with, for `LanguageModel.credentials`: the keys given (a client's own,
 * the `apiKey` option) and the environment variables the factory falls back to, read when asked (the client
 * asks as it starts). Placeholders shorter than 8 characters are not keys.
 */
export function credentialReader(given: ReadonlyArray<string | null | undefined>, envVars: readonly string[]): () => readonly string[] {
  return () => {
    const keys = new Set<string>();
    for (const k of [...given, ...envVars.map((v) => process.env[v])]) if (typeof k === "string" && k.length >= 8) keys.add(k);
    return [...keys];
  };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "string" ? JSON.stringify(v) : typeof v;
}
