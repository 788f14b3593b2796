/** Rules for array targets: per-item coercion (items / prefixItems) and wrapping a lone value.
 * A one-key object holding the array ({"results": [...]}) is unwrapped as well. */
import type { JsonSchema } from "../../core/index.js";
import { align } from "./align.js";
import { DROP_EXTRA, DROP_ITEM, UNWRAP_OBJECT, WRAP_ARRAY } from "./costs.js";
import {
  type AlignContext,
  appendSteps,
  at,
  brief,
  fail,
  failAt,
  indexPath,
  isPlainObject,
  NO_UNWRAP,
  NO_WRAP,
  type Outcome,
  ok,
  type Path,
  RESHAPED,
  showPath,
} from "./outcome.js";
import { resolveSchema } from "./schema-refs.js";

export function alignArray(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  if (Array.isArray(value)) return alignItems(value, schema, ctx, path, depth);
  if (value === null || value === undefined) return fail("expected an array, got null");
  ctx.exploring++;
  try {
    return reshapeIntoArray(value, schema, ctx, path, depth, flags);
  } finally {
    ctx.exploring--;
  }
}

function reshapeIntoArray(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  let best: Outcome = fail("expected an array");
  if (isPlainObject(value) && !(flags & NO_UNWRAP)) {
    const keys = Object.keys(value);
    const inner = keys.length === 1 ? value[keys[0] as string] : undefined;
    if (Array.isArray(inner)) {
      const o = alignItems(inner, schema, ctx, path, depth + 1);
      if (o.ok) best = ok(o.value, o.cost + UNWRAP_OBJECT, [`unwrap:object${at(path)}`, ...o.steps]);
    }
  }
  const itemSchema = Array.isArray(schema.prefixItems) && schema.prefixItems.length > 0 ? schema.prefixItems[0] : schema.items;
  if (flags & NO_WRAP) return best.ok ? best : fail("expected an array");
  const o = align(value, itemSchema, ctx, path, depth + 1, RESHAPED);
  if (o.ok && (!best.ok || o.cost + WRAP_ARRAY < best.cost))
    best = ok([o.value], o.cost + WRAP_ARRAY, [`wrap:array${at(path)}`, ...o.steps]);
  if (!best.ok && !o.ok) return fail(`expected an array; as a single item: ${brief(o.error)}`);
  return best;
}

function alignItems(value: unknown[], schema: JsonSchema, ctx: AlignContext, path: Path, depth: number): Outcome {
  const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
  const out: unknown[] = [];
  const steps: string[] = [];
  let cost = 0;
  const dropped: string[] = [];
  for (let i = 0; i < value.length; i++) {
    const where = indexPath(path, i);
    const itemSchema = i < prefix.length ? prefix[i] : schema.items;
    if ((itemSchema as unknown) === false) {
      steps.push(`drop:extra${at(where)}`);
      cost += DROP_EXTRA;
      continue;
    }
    const o = align(value[i], itemSchema, ctx, where, depth + 1, 0);
    // While streaming, the last item may still be incomplete: leave it out until it fits.
    const unfinished = ctx.partial && i === value.length - 1;
    if (!o.ok && (unfinished || isScalarItem(value[i], itemSchema, ctx))) {
      dropped.push(`drop:invalid${at(where)}`);
      continue;
    }
    if (!o.ok) return failAt(where, o.error);
    cost += o.cost;
    appendSteps(steps, o.steps);
    out.push(o.value);
  }
  if (dropped.length > 0) {
    if (out.length === 0 && !ctx.partial) return fail(`${showPath(indexPath(path, 0))}: no item fits`);
    cost += dropped.length * DROP_ITEM;
    appendSteps(steps, dropped);
  }
  return ok(out, cost, steps);
}

/** Unrecognised scalars in a list of enum-like scalars are dropped; a broken record fails the whole list. */
function isScalarItem(item: unknown, itemSchema: unknown, ctx: AlignContext): boolean {
  if (item !== null && typeof item === "object") return false;
  const r = resolveSchema(itemSchema, ctx.root, ctx.refs);
  return r.ok && ("const" in r.schema || Array.isArray(r.schema.enum));
}
