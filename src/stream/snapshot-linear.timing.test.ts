// The cost of a snapshot per chunk stays linear in the stream length. A timing test because SnapshotBuilder
// throttles copies by the clock as well as by text received, so only time shows the amortised cost; the
// ratio of two runs on the same machine (2.5x slack over linear) holds under load.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createIncrementalParser } from "../recovery/index.js";
import type { JsonSchema } from "../core/index.js";
import { SnapshotBuilder, type SnapshotSettings } from "./snapshot.js";

const schema: JsonSchema = {
  type: "object",
  properties: {
    name: { type: "string" },
    items: { type: "array", items: { $ref: "#/$defs/item" } },
  },
  additionalProperties: false,
  $defs: { item: { type: "object", properties: { id: { type: "integer" }, label: { type: "string" } }, additionalProperties: false } },
};

const settings = (): SnapshotSettings => ({ schema, wrapped: false, extraFields: [], atomic: [] });

test("a snapshot per chunk stays linear: twice the stream costs about twice the time", () => {
  const item = (i: number) => ({ id: i, label: `label number ${i} with some words in it` });
  const textOf = (n: number) => JSON.stringify({ name: "big", items: Array.from({ length: n }, (_, i) => item(i)) });
  const time = (text: string) => {
    const parser = createIncrementalParser({ schema });
    let latest = parser.push("");
    let received = 0;
    const builder = new SnapshotBuilder({ value: () => latest.value, complete: latest.complete, length: () => received }, settings());
    const t0 = performance.now();
    for (let i = 0; i < text.length; i += 12) {
      latest = parser.push(text.slice(i, i + 12));
      received = i + 12;
      builder.take();
    }
    return performance.now() - t0;
  };
  time(textOf(500)); // warm-up
  const small = Math.min(time(textOf(1500)), time(textOf(1500)));
  const large = Math.min(time(textOf(6000)), time(textOf(6000)));
  assert.ok(
    large < small * 4 * 2.5,
    `4x the text took ${(large / small).toFixed(1)}x the time (${small.toFixed(1)} → ${large.toFixed(1)} ms)`,
  );
});
