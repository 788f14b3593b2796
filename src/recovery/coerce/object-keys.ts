/** Matches the keys a model wrote to the properties a schema declares: exact, declared aliases, then drift.
 * Drift covers case, accents, spacing and separator changes ("Full Name", "fullName" -> "full_name"). */
import type { JsonSchema } from "../../core/index.js";
import { foldKey, squashKey } from "./text-fold.js";

export type KeyHow = "exact" | "alias" | "drift";

/** What a schema's object node needs for matching, computed once per node. */
export interface KeyPlan {
  names: string[];
  /** Accepted spellings per property: its BAML alias replaces its name; `x-aliases` add to it. */
  spellings: string[][];
  required: Set<string>;
  folded?: string[][];
  squashed?: string[][];
}

export interface KeyMatches {
  /** Per property (by index in plan.names), the value key it reads from, if any. */
  keys: (string | undefined)[];
  how: KeyHow[];
  /** Value keys feeding some property. */
  used: Set<string>;
}

const plans = new WeakMap<JsonSchema, KeyPlan>();

export function keyPlan(schema: JsonSchema): KeyPlan {
  let plan = plans.get(schema);
  if (!plan) {
    const properties = schema.properties ?? {};
    const names = Object.keys(properties);
    plan = {
      names,
      spellings: names.map((name) => propertySpellings(name, properties[name])),
      required: new Set(Array.isArray(schema.required) ? schema.required : []),
    };
    plans.set(schema, plan);
  }
  return plan;
}

function propertySpellings(name: string, prop: unknown): string[] {
  const node = prop !== null && typeof prop === "object" ? (prop as JsonSchema) : {};
  const baml = node["x-baml-alias"];
  const ours = node["x-aliases"];
  const names = typeof baml === "string" ? [baml] : [name];
  if (Array.isArray(ours)) for (const a of ours) if (typeof a === "string") names.push(a);
  return names;
}

/** For each property, the value key it reads from; each value key feeds at most one property. */
export function matchKeys(value: Record<string, unknown>, plan: KeyPlan): KeyMatches {
  const n = plan.names.length;
  const keys: (string | undefined)[] = new Array(n);
  const how: KeyHow[] = new Array(n);
  const used = new Set<string>();
  let found = 0;
  for (let i = 0; i < n; i++) {
    for (const s of plan.spellings[i] as string[]) {
      if (Object.hasOwn(value, s) && !used.has(s)) {
        used.add(s);
        keys[i] = s;
        how[i] = s === plan.names[i] ? "exact" : "alias";
        found++;
        break;
      }
    }
  }
  if (found === n) return { keys, how, used };
  const free = Object.keys(value).filter((k) => !used.has(k));
  if (free.length === 0) return { keys, how, used };
  plan.folded ??= plan.spellings.map((list) => list.map(foldKey));
  plan.squashed ??= plan.spellings.map((list) => list.map(squashKey));
  for (const [fold, table] of [
    [foldKey, plan.folded],
    [squashKey, plan.squashed],
  ] as const) {
    const byFold = new Map<string, string>();
    for (const k of free) {
      const f = fold(k);
      if (!used.has(k) && !byFold.has(f)) byFold.set(f, k);
    }
    for (let i = 0; i < n; i++) {
      if (keys[i] !== undefined) continue;
      for (const f of table[i] as string[]) {
        const k = byFold.get(f);
        if (k !== undefined && !used.has(k)) {
          used.add(k);
          keys[i] = k;
          how[i] = "drift";
          break;
        }
      }
    }
  }
  return { keys, how, used };
}
