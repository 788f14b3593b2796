/**
 * Maps whatever an official SDK throws to Ballast's typed errors, by HTTP status and headers (both SDKs
 * expose `status` and `headers` on their APIError). Aborts keep the reason the caller gave the signal; the
 * SDK's error is always the `cause`.
 */
import { AbortedError, BallastError, ConnectionError, ContextWindowError, ProviderHttpError, RateLimitedError } from "../errors/index.js";

interface ApiErrorLike {
  status?: number;
  headers?: Headers | Record<string, string>;
  message?: string;
  error?: unknown;
  name?: string;
}

function header(headers: ApiErrorLike["headers"], name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as Headers).get === "function") return (headers as Headers).get(name) ?? undefined;
  return (headers as Record<string, string>)[name];
}

/** `retry-after-ms` (OpenAI) first, then `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(headers: ApiErrorLike["headers"]): number | undefined {
  const ms = Number(header(headers, "retry-after-ms"));
  if (Number.isFinite(ms) && ms >= 0 && header(headers, "retry-after-ms") !== undefined) return ms;
  const raw = header(headers, "retry-after");
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

const CONTEXT_WINDOW =
  /context_length_exceeded|prompt is too long|maximum context length|too many tokens|exceeds the maximum number of tokens/i;

export function mapProviderError(err: unknown, model: string, signal: AbortSignal): BallastError {
  if (signal.aborted) {
    return signal.reason instanceof BallastError ? signal.reason : new AbortedError();
  }
  if (err instanceof BallastError) return err;
  const e = (err ?? {}) as ApiErrorLike;
  const message = `${model}: ${e.message ?? String(err)}`;
  if (typeof e.status === "number") {
    const status = e.status;
    if (status === 429) return new RateLimitedError(status, retryAfterMs(e.headers), message, { cause: err });
    const body = JSON.stringify(e.error ?? "");
    if ((status === 400 || status === 413) && CONTEXT_WINDOW.test(`${e.message} ${body}`))
      return new ContextWindowError(message, { cause: err });
    // Every other status is this model's failure (a retired model, a parameter it refuses, a bad key):
    // the cascade records it with the provider's message and moves on; 5xx, 408, 409 and 529 are retried.
    return new ProviderHttpError(status, message, e.error, { cause: err });
  }
  if (e.name?.includes("Connection") || (err as { cause?: unknown })?.cause) {
    return new ConnectionError(message, { cause: err });
  }
  return new ProviderHttpError(502, `${model}: malformed provider response (${e.message ?? String(err)})`, undefined, { cause: err });
}
