/** Chooses among the readings of one reply: the parser's value, its alternatives, all of them as a list, the raw text.
 * Each reading is coerced; the cheapest total (coercion cost plus how much repair it took) wins. */
import type { JsonSchema } from "../../core/index.js";
import { align } from "./align.js";
import { LATER_ALTERNATIVE, RAW_TEXT, REPAIR_STEP } from "./costs.js";
import type { AlignContext, Outcome } from "./outcome.js";
import { resolveSchema } from "./schema-refs.js";
import type { CoerceOptions, CoerceResult } from "./types.js";

const DEFAULT_MAX_DEPTH = 512;
/** Rule applications allowed: a floor plus a generous multiple of the value's size (bounds union blow-ups). */
const BUDGET_FLOOR = 1_000_000;
const BUDGET_PER_NODE = 64;
/** Counting stops here (also ends the count on a cyclic object graph). */
const NODE_COUNT_LIMIT = 20_000_000;

interface Best {
  outcome: Outcome & { ok: true };
  total: number;
  rank: number;
  label: string | null;
}

interface Candidate {
  value: unknown;
  penalty: number;
  label: string | null;
  /** Tie-break order (lower wins). */
  rank: number;
}

export function coerceCandidates(value: unknown, schema: JsonSchema, options: CoerceOptions): CoerceResult {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return { ok: false, error: "invalid schema", steps: [] };
  const ctx = newContext(schema, options, [value, ...(options.alternatives ?? [])]);
  const root = resolveSchema(schema, schema, ctx.refs);
  if (!root.ok) return { ok: false, error: `invalid schema: ${root.error}`, steps: [] };
  const { text } = options;
  if (text !== undefined && isPlainString(root.schema)) return readReplyAsString(text, schema, ctx);

  const repairs = options.repairs?.length ?? 0;
  const base = repairs * REPAIR_STEP;
  const alternatives = options.alternatives ?? [];
  const textUseful = value === undefined || (repairs > 0 && isScalarLike(root.schema, ctx));
  // Ties go to the lower rank: the parser's value, then all values as a list, then alternatives in order, then the text.
  const fixed: Candidate[] = [];
  if (text !== undefined && textUseful)
    fixed.push({
      value: text,
      penalty: RAW_TEXT,
      label: "text:raw",
      rank: Number.POSITIVE_INFINITY,
    });
  if (value !== undefined) fixed.push({ value, penalty: base, label: null, rank: 0 });
  const all = [value, ...alternatives].filter((v) => v !== undefined);
  if (all.length > 1)
    fixed.push({
      value: all,
      penalty: base + LATER_ALTERNATIVE,
      label: "combine:array",
      rank: 1,
    });
  if (fixed.length === 0 && all.length === 0) return { ok: false, error: "no value to coerce", steps: [] };

  const chosen: { best: Best | null } = { best: null };
  let firstError = "";
  let textAmbiguous: string | null = null;
  const consider = (c: Candidate): void => {
    const o = align(c.value, schema, ctx, null, 0, 0);
    if (!o.ok) {
      firstError ||= o.error;
      // The reply itself says two things; a fragment the parser picked out of it must not decide.
      if (c.label === "text:raw" && value !== undefined && /\bambiguous\b/.test(o.error)) textAmbiguous = o.error;
      return;
    }
    const total = o.cost + c.penalty;
    const best = chosen.best;
    if (!best || total < best.total || (total === best.total && c.rank < best.rank))
      chosen.best = { outcome: o, total, rank: c.rank, label: c.label };
  };
  for (const c of fixed) consider(c);
  // Alternatives cost more the later they come: stop once none can beat the best so far.
  for (let i = 0; i < alternatives.length; i++) {
    const penalty = base + (i + 1) * LATER_ALTERNATIVE;
    if (chosen.best !== null && chosen.best.total < penalty) break;
    if (alternatives[i] !== undefined)
      consider({
        value: alternatives[i],
        penalty,
        label: `candidate:${i + 1}`,
        rank: 2 + i,
      });
  }
  const best = chosen.best;
  if (!best) return { ok: false, error: firstError, steps: [] };
  // A fragment that takes one side of an ambiguous reply must not decide; an explicit null ("none") may.
  if (textAmbiguous !== null && best.label !== "text:raw" && best.outcome.value !== null)
    return { ok: false, error: textAmbiguous, steps: [] };
  const steps = best.label ? [best.label, ...best.outcome.steps] : best.outcome.steps;
  return { ok: true, value: best.outcome.value, steps };
}

/** Values and containers in `root`, counted without recursion. */
function countNodes(root: unknown): number {
  let count = 0;
  const stack: unknown[] = [root];
  while (stack.length > 0 && count < NODE_COUNT_LIMIT) {
    const v = stack.pop();
    count++;
    if (v === null || typeof v !== "object") continue;
    if (Array.isArray(v)) for (const x of v) stack.push(x);
    else for (const k in v) if (Object.hasOwn(v, k)) stack.push((v as Record<string, unknown>)[k]);
  }
  return count;
}

export function newContext(schema: JsonSchema, options: CoerceOptions, values: readonly unknown[]): AlignContext {
  return {
    root: schema,
    partial: options.mode === "partial",
    maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
    budget: BUDGET_FLOOR + BUDGET_PER_NODE * countNodes(values),
    refs: new Map(),
    exploring: 0,
    memo: [],
    patterns: new Map(),
    source: options.source,
    valueless: options.valueless,
  };
}

/** Schemas a sentence of prose can satisfy: scalars, enums, consts, and unions of them. */
function isScalarLike(schema: JsonSchema, ctx: AlignContext, depth = 0): boolean {
  if (depth > 8) return false;
  if ("const" in schema || Array.isArray(schema.enum)) return true;
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) {
    return union.every((b) => {
      const r = resolveSchema(b, ctx.root, ctx.refs);
      return r.ok && isScalarLike(r.schema, ctx, depth + 1);
    });
  }
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.every((t) => t === "string" || t === "number" || t === "integer" || t === "boolean" || t === "null");
}

function isPlainString(schema: JsonSchema): boolean {
  return schema.type === "string" && !("const" in schema) && !Array.isArray(schema.enum);
}

/** A string schema takes the reply as written, unless the reply is empty or a bare boolean. */
function readReplyAsString(text: string, schema: JsonSchema, ctx: AlignContext): CoerceResult {
  const trimmed = text.trim();
  if (trimmed === "" || trimmed === '""' || trimmed === "''") return { ok: false, error: "empty reply", steps: [] };
  if (/^(true|false)$/i.test(trimmed))
    return {
      ok: false,
      error: "expected a string, the reply is a boolean",
      steps: [],
    };
  // A reply that is exactly a JSON string literal means that string; anything else is taken as written.
  const literal = jsonStringLiteral(trimmed);
  if (literal === "") return { ok: false, error: "empty reply", steps: [] };
  const o = align(literal ?? text, schema, ctx, null, 0, 0);
  if (!o.ok) return { ok: false, error: o.error, steps: [] };
  return {
    ok: true,
    value: o.value,
    steps: literal === null ? ["text:raw", ...o.steps] : o.steps,
  };
}

function jsonStringLiteral(text: string): string | null {
  if (!text.startsWith('"') || !text.endsWith('"')) return null;
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "string" ? v : null;
  } catch {
    return null;
  }
}
