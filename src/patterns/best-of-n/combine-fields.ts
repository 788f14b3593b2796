/**
 * Combines N answers field by field: majority vote for booleans, enums and short strings, median for
 * numbers (the most frequent number when several samples agree on it exactly), union-with-votes for arrays of short items, medoid for long text (and anything else), recursing
 * into objects after a vote on their shape (so union branches are never mixed). Reports agreement per field.
 */
import { stableJson } from "../../prompt/index.js";
import { medoid } from "../../core/index.js";
import type { FieldReport, FieldStrategy } from "./types.js";

export interface CombineSettings {
  fields: Record<string, FieldStrategy>;
  shortText: number;
}

export interface Combined {
  value: unknown;
  fields: FieldReport[];
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
const key = (v: unknown) => stableJson(v);
const child = (path: string, k: string) => (path === "(root)" ? k : `${path}.${k}`);

export function combineValues(values: readonly unknown[], settings: CombineSettings, path = "(root)"): Combined {
  const forced = settings.fields[path];
  if (forced) return byStrategy(forced, values, path);
  if (values.every(isPlainObject)) return combineObjects(values as Record<string, unknown>[], settings, path);
  if (values.every((v) => typeof v === "number")) {
    // Samples that agree exactly are the stronger signal (counts, prices); otherwise the median resists outliers.
    const counts = tally(values.map(key));
    const [top, second] = counts;
    return byStrategy(top && top.count >= 2 && top.count > (second?.count ?? 0) ? "vote" : "median", values, path);
  }
  if (values.every((v) => typeof v === "boolean")) return byStrategy("vote", values, path);
  if (values.every((v) => typeof v === "string"))
    return byStrategy((values as string[]).every((s) => s.length <= settings.shortText) ? "vote" : "medoid", values, path);
  if (values.every(Array.isArray)) {
    const items = (values as unknown[][]).flat();
    const short = items.every(
      (i) => typeof i === "number" || typeof i === "boolean" || (typeof i === "string" && i.length <= settings.shortText),
    );
    return byStrategy(short ? "union" : "medoid", values, path);
  }
  return byStrategy("vote", values, path); // mixed types, nulls: the most frequent value
}

function combineObjects(values: Record<string, unknown>[], settings: CombineSettings, path: string): Combined {
  // Vote on the shape first (its keys and literal-looking tags), then combine within the winning shape.
  const shapeOf = (v: Record<string, unknown>) => key(Object.keys(v).sort());
  const shape = tally(values.map(shapeOf));
  const winner = shape[0]!;
  const group = values.filter((v) => shapeOf(v) === winner.key);
  const fields: FieldReport[] = [];
  if (shape.length > 1) {
    fields.push({
      path,
      strategy: "shape",
      agreement: winner.count / values.length,
      votes: shape.map((s) => ({ value: JSON.parse(s.key), count: s.count })),
    });
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(group[0]!)) {
    const c = combineValues(
      group.map((v) => v[k]),
      settings,
      child(path, k),
    );
    out[k] = c.value;
    for (const field of c.fields) fields.push(field); // no spread: a large object has as many fields as leaves
  }
  return { value: out, fields };
}

function byStrategy(strategy: FieldStrategy, values: readonly unknown[], path: string): Combined {
  if (strategy === "median" && values.every((v) => typeof v === "number")) {
    const sorted = [...(values as number[])].sort((a, b) => a - b);
    const value = sorted[Math.floor((sorted.length - 1) / 2)]!; // lower median: always a value a sample gave
    const agreement = sorted.filter((x) => Math.abs(x - value) <= 1e-9 * Math.max(1, Math.abs(value))).length / sorted.length;
    return { value, fields: [{ path, strategy, agreement }] };
  }
  if (strategy === "union" && values.every(Array.isArray)) return union(values as unknown[][], path);
  if (strategy === "medoid") {
    const texts = values.map((v) => (typeof v === "string" ? v : key(v)));
    const m = medoid(texts);
    return { value: values[m.index], fields: [{ path, strategy, agreement: m.agreement }] };
  }
  const counts = tally(values.map(key));
  const best = counts[0]!;
  return {
    value: values.find((v) => key(v) === best.key),
    fields: [
      {
        path,
        strategy: "vote",
        agreement: best.count / values.length,
        votes: counts.map((c) => ({ value: JSON.parse(c.key), count: c.count })),
      },
    ],
  };
}

function union(values: unknown[][], path: string): Combined {
  const counts = new Map<string, { value: unknown; count: number; first: number }>();
  let order = 0;
  for (const list of values) {
    const seen = new Set<string>();
    for (const item of list) {
      const k = key(item);
      if (seen.has(k)) continue;
      seen.add(k);
      const hit = counts.get(k);
      if (hit) hit.count++;
      else counts.set(k, { value: item, count: 1, first: order++ });
    }
  }
  const all = [...counts.values()].sort((a, b) => b.count - a.count || a.first - b.first);
  const kept = all.filter((c) => c.count * 2 > values.length).sort((a, b) => a.first - b.first);
  const keptKeys = key(kept.map((c) => key(c.value)).sort());
  const agreeing = values.filter((list) => key([...new Set(list.map(key))].sort()) === keptKeys).length;
  return {
    value: kept.map((c) => c.value),
    fields: [{ path, strategy: "union", agreement: agreeing / values.length, votes: all.map((c) => ({ value: c.value, count: c.count })) }],
  };
}

/** Distinct keys by count, most frequent first; ties keep first appearance. */
function tally(keys: readonly string[]): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count);
}
