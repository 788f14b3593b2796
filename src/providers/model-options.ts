/**
 * What every provider factory (`openai()`, `anthropic()`, `google()`, `aiSdk()`) checks of its arguments
 * before it builds a model, and the credentials a model reports for redaction.
 */
import { describe, headersProblem } from "../core/index.js";
import { ConfigurationError } from "../errors/index.js";

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
  if (o.headers !== undefined) {
    const problem = headersProblem(o.headers);
    if (problem) throw new ConfigurationError(`${fn}: ${problem}`);
  }
}

/**
 * The API key a factory's client is made with: the `apiKey` option, else the first environment variable set,
 * else (a custom `baseURL`: a local server) a placeholder. Throws a ConfigurationError saying how to give one.
 */
export function resolveKey(fn: string, options: { apiKey?: string; baseURL?: string }, envVars: readonly string[]): string {
  const key = options.apiKey ?? envVars.map((v) => process.env[v]).find((v) => v !== undefined && v !== "");
  if (key) return key;
  if (options.baseURL) return "not-needed";
  throw new ConfigurationError(`${envVars[0]} is not set: pass { apiKey } to ${fn} or set the variable`);
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
