/** The coercion dispatcher: resolves the schema node, memoises, and routes to the rule for its kind.
 * Also owns unions (best-fitting branch, discriminators first) and unwrapping containers around a scalar. */
import type { JsonSchema } from "../../core/index.js";
import { alignArray } from "./align-array.js";
import { alignObject } from "./align-object.js";
import { alignBoolean, alignConst, alignEnum, alignNull, alignNumber, alignString } from "./align-scalar.js";
import { UNWRAP_ARRAY, UNWRAP_ARRAY_EXTRA, UNWRAP_OBJECT } from "./costs.js";
import { type AlignContext, at, brief, fail, isPlainObject, jsonEqual, NO_UNWRAP, type Outcome, ok, type Path } from "./outcome.js";
import { resolveSchema } from "./schema-refs.js";

/** Coerces `value` toward the (unresolved) schema node. Never throws on any input. */
export function align(value: unknown, node: unknown, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  if (depth > ctx.maxDepth) return fail(`nested deeper than ${ctx.maxDepth} levels`);
  if (--ctx.budget < 0) return fail("coercion budget exhausted");
  const memoable = ctx.exploring > 0 && value !== null && typeof value === "object" && node !== null && typeof node === "object";
  let table: WeakMap<object, Outcome> | undefined;
  if (memoable) {
    let byNode = ctx.memo[flags];
    if (!byNode) {
      byNode = new Map();
      ctx.memo[flags] = byNode;
    }
    table = byNode.get(node as object);
    if (!table) {
      table = new WeakMap();
      byNode.set(node as object, table);
    }
    const hit = table.get(value as object);
    if (hit) return hit;
    table.set(value as object, CYCLE);
  }
  const resolved = resolveSchema(node, ctx.root, ctx.refs);
  const out = resolved.ok ? alignResolved(value, resolved.schema, ctx, path, depth, flags) : fail(resolved.error);
  table?.set(value as object, out);
  return out;
}

const CYCLE: Outcome = {
  ok: false,
  error: "schema and value loop back on themselves",
};
const typeBranches = new WeakMap<JsonSchema, JsonSchema[]>();

/** Coerces toward an already resolved schema node. */
export function alignResolved(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  if ("const" in schema) return alignConst(value, schema, ctx, path, depth, flags);
  if (Array.isArray(schema.enum)) return alignEnum(value, schema, ctx, path, depth, flags);
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : Array.isArray(schema.oneOf) ? schema.oneOf : null;
  if (union) return alignUnion(value, union, ctx, path, depth, flags);
  const type = schema.type;
  if (Array.isArray(type)) {
    let branches = typeBranches.get(schema);
    if (!branches) {
      branches = type.map((t) => ({ ...schema, type: t }));
      typeBranches.set(schema, branches);
    }
    return alignUnion(value, branches, ctx, path, depth, flags);
  }
  switch (type ?? inferType(schema)) {
    case "object":
      return alignObject(value, schema, ctx, path, depth, flags);
    case "array":
      return alignArray(value, schema, ctx, path, depth, flags);
    case "string":
      return alignString(value, schema, ctx, path, depth, flags);
    case "number":
      return alignNumber(value, schema, ctx, path, depth, flags, false);
    case "integer":
      return alignNumber(value, schema, ctx, path, depth, flags, true);
    case "boolean":
      return alignBoolean(value, schema, ctx, path, depth, flags);
    case "null":
      return alignNull(value, path);
    case undefined:
      return value === undefined ? fail("no value") : ok(value);
    default:
      return fail(`unsupported schema type ${String(type)}`);
  }
}

function inferType(schema: JsonSchema): string | undefined {
  if (schema.properties || schema.additionalProperties !== undefined || schema.patternProperties || schema.required) return "object";
  if (schema.items !== undefined || schema.prefixItems) return "array";
  return undefined;
}

/** Tries every branch and keeps the cheapest (first on ties); branches whose discriminator matches go first. */
function alignUnion(value: unknown, branches: readonly unknown[], ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  if (branches.length === 0) return fail("empty union");
  const order = branchOrder(value, branches, ctx);
  if (isPlainObject(value)) {
    const keyed = order.filter((i) => discriminatorMatches(value, branches[i], ctx));
    if (keyed.length > 0) {
      const picked = pickBranch(value, branches, keyed, ctx, path, depth, flags);
      if (picked.ok) return picked;
    }
  }
  return pickBranch(value, branches, order, ctx, path, depth, flags);
}

function pickBranch(
  value: unknown,
  branches: readonly unknown[],
  order: number[],
  ctx: AlignContext,
  path: Path,
  depth: number,
  flags: number,
): Outcome {
  let best: { ok: true; value: unknown; cost: number; steps: string[] } | null = null;
  let bestIndex = -1;
  let fitting = 0;
  let firstError = "";
  let ambiguousError = "";
  let exploring = false;
  try {
    for (const i of order) {
      // The first (kind-matching) branch usually fits exactly; memoise only once alternatives are tried.
      if (!exploring && i !== order[0]) {
        ctx.exploring++;
        exploring = true;
      }
      const o = align(value, branches[i], ctx, path, depth + 1, flags);
      if (!o.ok) {
        firstError ||= o.error;
        if (!ambiguousError && o.error.startsWith("ambiguous")) ambiguousError = o.error;
        continue;
      }
      fitting++;
      if (!best || o.cost < best.cost) {
        best = o;
        bestIndex = i;
      }
      if (o.cost === 0) break;
    }
  } finally {
    if (exploring) ctx.exploring--;
  }
  if (!best) return fail(order.length === 1 ? firstError : `no union branch fits (${brief(firstError)})`);
  if (ambiguousError && best.cost >= 1) return fail(ambiguousError);
  // Name the branch only when it was a real choice: several fitted and none exactly.
  if (fitting === 1 || best.cost === 0) return best;
  return ok(best.value, best.cost, [`union:branch${bestIndex}${at(path)}`, ...best.steps]);
}

const branchKinds = new WeakMap<readonly unknown[], (Set<string> | null)[]>();

/** Branches whose declared kind matches the value's come first (stable); an exact fit there ends the search. */
function branchOrder(value: unknown, branches: readonly unknown[], ctx: AlignContext): number[] {
  let kinds = branchKinds.get(branches);
  if (!kinds) {
    kinds = branches.map((b) => kindsOf(b, ctx));
    branchKinds.set(branches, kinds);
  }
  const kind = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
  const first: number[] = [];
  const rest: number[] = [];
  for (let i = 0; i < kinds.length; i++) {
    const k = kinds[i];
    (k === null || k === undefined || k.has(kind) ? first : rest).push(i);
  }
  return rest.length === 0 ? first : [...first, ...rest];
}

/** The JSON kinds a schema node accepts without coercion; null when it cannot tell. */
function kindsOf(node: unknown, ctx: AlignContext): Set<string> | null {
  const r = resolveSchema(node, ctx.root, ctx.refs);
  if (!r.ok) return new Set();
  const s = r.schema;
  const kindOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if ("const" in s) return new Set([kindOf(s.const)]);
  if (Array.isArray(s.enum)) return new Set(s.enum.map(kindOf));
  if (s.anyOf || s.oneOf) return null;
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? null : [s.type];
  if (types === null) {
    if (s.properties || s.additionalProperties !== undefined) return new Set(["object"]);
    if (s.items !== undefined || s.prefixItems) return new Set(["array"]);
    return null;
  }
  return new Set(types.map((t) => (t === "integer" ? "number" : String(t))));
}

/** A branch is keyed when one of its properties is a const (or one-value enum) the value carries exactly. */
function discriminatorMatches(value: Record<string, unknown>, branch: unknown, ctx: AlignContext): boolean {
  const r = resolveSchema(branch, ctx.root, ctx.refs);
  if (!r.ok || !r.schema.properties) return false;
  for (const [key, prop] of Object.entries(r.schema.properties)) {
    if (!Object.hasOwn(value, key)) continue;
    const p = resolveSchema(prop, ctx.root, ctx.refs);
    if (!p.ok) continue;
    const only = "const" in p.schema ? [p.schema.const] : Array.isArray(p.schema.enum) && p.schema.enum.length === 1 ? p.schema.enum : null;
    if (only && jsonEqual(value[key], only[0])) return true;
  }
  return false;
}

/** Where one value is expected: an element of an array, or the value of a one-key object. Never chains. */
export function unwrapForScalar(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  ctx.exploring++;
  try {
    return unwrapExploring(value, schema, ctx, path, depth, flags);
  } finally {
    ctx.exploring--;
  }
}

function unwrapExploring(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  if (flags & NO_UNWRAP) return fail(`expected a single value, got ${Array.isArray(value) ? "an array" : "an object"}`);
  if (Array.isArray(value)) {
    if (value.length === 0) return fail("expected a single value, got an empty array");
    let best: Outcome | null = null;
    for (let i = 0; i < value.length && i < 64; i++) {
      const o = alignResolved(value[i], schema, ctx, path, depth + 1, NO_UNWRAP);
      if (o.ok && (!best?.ok || o.cost < best.cost)) best = o;
      if (o.ok && o.cost === 0) break;
    }
    if (!best?.ok) return fail("no array element fits");
    const extra = value.length > 1 ? UNWRAP_ARRAY_EXTRA : 0;
    return ok(best.value, best.cost + UNWRAP_ARRAY + extra, [`unwrap:array${at(path)}`, ...best.steps]);
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length !== 1) return fail(`expected a single value, got an object with ${keys.length} keys`);
    const key = keys[0] as string;
    const o = alignResolved(value[key], schema, ctx, path, depth + 1, NO_UNWRAP);
    if (!o.ok) return o;
    return ok(o.value, o.cost + UNWRAP_OBJECT, [`unwrap:object${at(path)}`, ...o.steps]);
  }
  return fail("not a container");
}
