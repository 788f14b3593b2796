// SnapshotBuilder over the incremental parser, fed in every chunk size: snapshots are monotonic and never
// mutated, and hidden values (growing enums, atomic fields, unknown keys, Ballast's extras) stay hidden.
// Its linear cost is measured in snapshot-linear.timing.test.ts (the builder's throttle reads the clock).
import assert from "node:assert/strict";
import { test } from "node:test";
import { createIncrementalParser } from "../recovery/index.js";
import type { JsonSchema } from "../core/index.js";
import { type Snapshot, SnapshotBuilder, type SnapshotSettings } from "./snapshot.js";

const schema: JsonSchema = {
  type: "object",
  properties: {
    kind: { type: "string", enum: ["alpha", "beta"] },
    name: { type: "string" },
    n: { type: "integer", minimum: 0 },
    ok: { type: "boolean" },
    tags: { type: "array", items: { type: "string" } },
    items: { type: "array", items: { $ref: "#/$defs/item" } },
    shape: {
      anyOf: [
        { type: "object", properties: { type: { const: "circle" }, r: { type: "number" } }, additionalProperties: false },
        { type: "object", properties: { type: { const: "square" }, side: { type: "number" } }, additionalProperties: false },
      ],
    },
    note: { anyOf: [{ type: "string" }, { type: "null" }] },
  },
  additionalProperties: false,
  $defs: { item: { type: "object", properties: { id: { type: "integer" }, label: { type: "string" } }, additionalProperties: false } },
};

const settings = (over: Partial<SnapshotSettings> = {}): SnapshotSettings => ({
  schema,
  wrapped: false,
  extraFields: [],
  atomic: [],
  ...over,
});

function run(text: string, chunk: number, over: Partial<SnapshotSettings> = {}): Snapshot[] {
  const parser = createIncrementalParser({ schema: over.schema ?? schema });
  let latest = parser.push("");
  let received = 0;
  const builder = new SnapshotBuilder({ value: () => latest.value, complete: latest.complete, length: () => received }, settings(over));
  const out: Snapshot[] = [];
  for (let i = 0; i < text.length; i += chunk) {
    latest = parser.push(text.slice(i, i + chunk));
    received = i + chunk;
    const s = builder.take(i + chunk >= text.length);
    if (s) out.push({ partial: structuredClone(s.partial), done: new Set(s.done) });
    if (s) out.push(s); // the live one too: it must not change after being handed out
  }
  return out;
}

function at(value: unknown, pointer: string): unknown {
  if (pointer === "") return value;
  return pointer
    .slice(1)
    .split("/")
    .reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], value);
}

function checkMonotonic(snapshots: Snapshot[]): void {
  for (let i = 0; i + 1 < snapshots.length; i += 2) {
    // the copy taken at once and the live object compared at the end: nothing handed out was mutated
    assert.deepEqual(snapshots[i + 1]!.partial, snapshots[i]!.partial);
  }
  const frozen = new Map<string, string>();
  for (const s of snapshots) {
    for (const p of s.done) {
      const json = JSON.stringify(at(s.partial, p));
      assert.notEqual(json, undefined, `done ${p} missing`);
      if (frozen.has(p)) assert.equal(json, frozen.get(p), `${p} changed after done`);
      frozen.set(p, json);
    }
    for (const p of frozen.keys()) assert.ok(s.done.has(p), `done lost ${p}`);
  }
}

const doc = {
  kind: "beta",
  name: "a name that grows over many chunks",
  n: 12345,
  ok: true,
  tags: ["one", "two", "three"],
  items: [
    { id: 1, label: "first" },
    { id: 2, label: "second" },
  ],
  shape: { type: "square", side: 2.5 },
  note: null,
};

test("every chunk size: monotonic, never mutated, and the last snapshot is the whole value", () => {
  const text = JSON.stringify(doc, null, 1);
  for (const size of [1, 2, 3, 7, 64, text.length]) {
    const snapshots = run(text, size);
    checkMonotonic(snapshots);
    const last = snapshots.at(-1)!;
    assert.deepEqual(last.partial, doc, `chunk ${size}`);
    assert.ok(last.done.has("") && last.done.has("/items/1/label") && last.done.has("/shape/side"));
  }
});

test("enums, numbers and booleans appear only complete; strings grow", () => {
  const snapshots = run(JSON.stringify(doc), 1);
  const names = new Set<string>();
  for (const s of snapshots) {
    const p = s.partial as Record<string, unknown>;
    if (p?.kind !== undefined) assert.equal(p.kind, "beta");
    if (p?.n !== undefined) assert.equal(p.n, 12345);
    if (typeof p?.name === "string") names.add(p.name);
  }
  assert.ok(names.size > 10, "the name was shown while it grew");
});

test("values that do not fit the schema never show; an array stops at its first bad element", () => {
  const bad = { kind: "gamma", n: -1, extra: "x", tags: ["a", 3, "c"], ok: "yes", shape: { type: "circle", side: 1, r: 2 } };
  const last = run(JSON.stringify(bad), 2).at(-1)!;
  assert.deepEqual(last.partial, { tags: ["a"], shape: { type: "circle", r: 2 } });
  assert.ok(last.done.has("/tags") && !last.done.has("/tags/1"));
});

test("atomic paths show only once done; Ballast's extra fields never show", () => {
  const text = JSON.stringify({ name: "atomic name", items: [{ id: 1, label: "the label" }], prompt_feedback: "unclear" });
  const extraSchema = { ...schema, properties: { ...schema.properties, prompt_feedback: { type: "string" } } };
  const snapshots = run(text, 1, { schema: extraSchema, atomic: ["/name", "/items/*/label"], extraFields: ["prompt_feedback"] });
  for (const s of snapshots) {
    const p = s.partial as Record<string, unknown> | undefined;
    if (p?.name !== undefined) assert.equal(p.name, "atomic name");
    const items = p?.items as Array<Record<string, unknown>> | undefined;
    if (items?.[0]?.label !== undefined) assert.equal(items[0].label, "the label");
    assert.equal(p?.prompt_feedback, undefined);
  }
  assert.deepEqual(snapshots.at(-1)!.partial, { name: "atomic name", items: [{ id: 1, label: "the label" }] });
});

test("a wrapped root is shown unwrapped, with paths relative to it", () => {
  const inner: JsonSchema = { type: "array", items: { type: "string", enum: ["x", "y"] } };
  const wire = JSON.stringify({ value: ["x", "y", "x"] });
  const last = run(wire, 1, { schema: inner, wrapped: true }).at(-1)!;
  assert.deepEqual(last.partial, ["x", "y", "x"]);
  assert.ok(last.done.has("") && last.done.has("/2"));
});
