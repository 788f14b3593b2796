/**
 * Extra HTTP headers as callers give them (a client, task or call's `headers`, a provider factory's): an
 * object of string values whose names are HTTP tokens and whose values HTTP can carry. A header the
 * transport would refuse is the caller's mistake, not a provider outage.
 */
import { describe } from "./describe-value.js";

/** RFC 9110 `token`: the characters a header name may hold. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Anything outside RFC 9110 `field-value` (visible Latin-1, space and tab), as the HTTP client refuses it. */
const NOT_FIELD_VALUE = /[^\t\x20-\x7e\x80-\xff]/;
const LINE_BREAK = /[\r\n\0]/;

const at = (name: string) => `headers[${JSON.stringify(name)}]`;

/** Why `v` cannot be sent as headers (naming the first bad header), or null. Reads each header once, allocates nothing when all is well. */
export function headersProblem(v: unknown): string | null {
  if (v === null || typeof v !== "object" || Array.isArray(v))
    return `headers must be an object of header names to string values, got ${describe(v)}`;
  const headers = v as Record<string, unknown>;
  for (const name in headers) {
    const value = headers[name];
    if (!TOKEN.test(name))
      return `${at(name)}: ${JSON.stringify(name)} is not a valid HTTP header name (only letters, digits and !#$%&'*+-.^_\`|~; no spaces or colons)`;
    if (typeof value !== "string") return `${at(name)} must be a string, got ${describe(value)}`;
    if (LINE_BREAK.test(value)) return `${at(name)}: the value holds a CR, LF or NUL character, which HTTP header values cannot carry`;
    if (NOT_FIELD_VALUE.test(value))
      return `${at(name)}: the value holds a control character or one beyond Latin-1 (code point above 255), which HTTP header values cannot carry`;
  }
  return null;
}
