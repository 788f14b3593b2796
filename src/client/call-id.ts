/**
 * Call ids: UUID version 7 (RFC 9562), a 48-bit millisecond timestamp then 74 random bits. Ids sort by
 * time, so the trace store's index on them appends instead of dirtying a random page per call (measured:
 * ~2 µs less SQLite work per call at bench size, ~8 µs at 100k stored calls), and `ballast traces` lists
 * read in order. Node 20 has no `randomUUIDv7`; the `uuid` package's v7 cost 855 ns a call here against
 * 350 ns for this: the random part is `randomUUID()`'s (buffered entropy), after its version digit.
 */
import { randomUUID } from "node:crypto";

let lastMs = -1;
let prefix = "";

export function newCallId(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    const t = ms.toString(16).padStart(12, "0");
    prefix = `${t.slice(0, 8)}-${t.slice(8, 12)}-7`;
  }
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; from index 15 on it is random, the variant included.
  return prefix + randomUUID().slice(15);
}
