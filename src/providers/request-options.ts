/** The per-request options both SDKs take: the attempt's AbortSignal, and headers only when there are any. */
import type { ModelRequest } from "../core/index.js";

export function requestOptions(
  headers: Record<string, string> | undefined,
  request: ModelRequest,
): { signal: AbortSignal; headers?: Record<string, string> } {
  return headers || request.headers ? { signal: request.signal, headers: { ...headers, ...request.headers } } : { signal: request.signal };
}
