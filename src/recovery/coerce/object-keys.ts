/** Matches the keys a model wrote to the properties a schema declares: exact, declared aliases, then drift.
 * Drift covers case, accents, spacing and separator changes ("Full Name", "fullName" -> "full_name"). */
import type { JsonSchema } from "../../schema/json-schema.js";
import { foldKey, squashKey } from "./text-fold.js";

export interface KeyMatch {
  /** The key in the value. */
  key: string;
  how: "exact" | "alias" | "drift";
}

/** The spellings a property accepts: its BAML alias replaces its name; `x-aliases` add to it. */
export function propertySpellings(name: string, prop: unknown): string[] {
  const node = prop !== null && typeof prop === "object" ? (prop as JsonSchema) : {};
  const baml = node["x-baml-alias"];
  const ours = node["x-aliases"];
  const names = typeof baml === "string" ? [baml] : [name];
  if (Array.isArray(ours)) for (const a of ours) if (typeof a === "string") names.push(a);
  return names;
}

/** For each property, the value key it reads from; each value key feeds at most one property. */
export function matchKeys(value: Record<string, unknown>, properties: Record<string, unknown>): Map<string, KeyMatch> {
  const result = new Map<string, KeyMatch>();
  const claimed = new Set<string>();
  const spellings = new Map(Object.entries(properties).map(([name, prop]) => [name, propertySpellings(name, prop)]));
  for (const [name, names] of spellings) {
    for (const n of names) {
      if (Object.hasOwn(value, n) && !claimed.has(n)) {
        claimed.add(n);
        result.set(name, { key: n, how: n === name ? "exact" : "alias" });
        break;
      }
    }
  }
  if (result.size === spellings.size) return result;
  const free = Object.keys(value).filter((k) => !claimed.has(k));
  if (free.length === 0) return result;
  for (const fold of [foldKey, squashKey]) {
    const byFold = new Map<string, string>();
    for (const k of free) if (!claimed.has(k) && !byFold.has(fold(k))) byFold.set(fold(k), k);
    for (const [name, names] of spellings) {
      if (result.has(name)) continue;
      for (const n of names) {
        const k = byFold.get(fold(n));
        if (k !== undefined && !claimed.has(k)) {
          claimed.add(k);
          result.set(name, { key: k, how: "drift" });
          break;
        }
      }
    }
  }
  return result;
}
