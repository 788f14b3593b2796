/**
 * The simulator's request log: the last 500 requests (method, path, headers, parsed JSON body) so tests can
 * assert on exactly what a client sent.
 */
import type { IncomingHttpHeaders } from "node:http";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined for an empty or non-JSON body). */
  body: unknown;
}

export const RECORDED_LIMIT = 500;

export function recordRequest(log: RecordedRequest[], entry: RecordedRequest, limit = RECORDED_LIMIT) {
  log.push(entry);
  while (log.length > limit) log.shift();
}
