/** Rules for scalar targets: string, number/integer, boolean, null, const and enum.
 * Strings are read as numbers/booleans/enum values when unambiguous; containers around one value are unwrapped. */
import type { JsonSchema } from "../../core/index.js";
import { unwrapForScalar } from "./align.js";
import { FOLDED, MENTION, SCALAR, SOURCE_TEXT } from "./costs.js";
import { type AlignContext, at, describe, fail, jsonEqual, NO_UNWRAP, type Outcome, ok, type Path } from "./outcome.js";
import { ambiguity, readBoolean, readNumber } from "./scalars.js";
import { matchWords, type Spelling } from "./word-match.js";

const isContainer = (v: unknown): boolean => v !== null && typeof v === "object";

export function alignString(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  if (typeof value === "string") return checkString(value, schema, ctx, 0, []);
  // A bare boolean reply is refused earlier (candidates.ts); inside a value it is just mistyped.
  if (typeof value === "number" || typeof value === "boolean")
    return checkString(String(value), schema, ctx, typeof value === "number" ? SCALAR : SCALAR + 0.5, [`coerce:string${at(path)}`]);
  if (isContainer(value)) {
    const inner = unwrapForScalar(value, schema, ctx, path, depth, flags);
    if (inner.ok || ctx.source === undefined || flags & NO_UNWRAP) return inner;
    // structure the model wrote where text was asked for (`props: {title: string}`): the text it wrote
    // (not an element's text once a list was unwrapped: that would drop the others silently)
    const written = ctx.source(value as object);
    return written === undefined ? inner : checkString(written, schema, ctx, SOURCE_TEXT, [`text:source${at(path)}`]);
  }
  return fail(`expected a string, got ${describe(value)}`);
}

function checkString(text: string, schema: JsonSchema, ctx: AlignContext, cost: number, steps: string[]): Outcome {
  if (typeof schema.pattern === "string") {
    let re = ctx.patterns.get(schema.pattern);
    if (re === undefined) {
      try {
        re = new RegExp(schema.pattern, "u");
      } catch {
        re = null;
      }
      ctx.patterns.set(schema.pattern, re);
    }
    if (re && !re.test(text)) return fail(`string does not match pattern ${schema.pattern}`);
  }
  return ok(text, cost, steps);
}

export function alignNumber(
  value: unknown,
  schema: JsonSchema,
  ctx: AlignContext,
  path: Path,
  depth: number,
  flags: number,
  integer: boolean,
): Outcome {
  const kind = integer ? "integer" : "number";
  if (typeof value === "number") {
    if (integer && !Number.isInteger(value)) return fail(`expected an integer, got ${value}`);
    return ok(value);
  }
  if (typeof value === "string") {
    const r = readNumber(value);
    if (!r) return fail(ambiguity(value) ?? `expected ${article(kind)}, got a string that is not one`);
    if (integer && !Number.isInteger(r.value)) return fail(`expected an integer, got ${r.value}`);
    return ok(r.value, r.cost, [`${label(r.cost)}:${kind}${at(path)}`]);
  }
  if (isContainer(value)) return unwrapForScalar(value, schema, ctx, path, depth, flags);
  return fail(`expected ${article(kind)}, got ${describe(value)}`);
}

export function alignBoolean(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  if (typeof value === "boolean") return ok(value);
  if (value === 1 || value === 0) return ok(value === 1, SCALAR, [`coerce:boolean${at(path)}`]);
  if (typeof value === "string") {
    const r = readBoolean(value);
    if (!r) return fail(ambiguity(value) ?? "expected a boolean, got a string that is not one");
    return ok(r.value, r.cost, [`${label(r.cost)}:boolean${at(path)}`]);
  }
  if (isContainer(value)) return unwrapForScalar(value, schema, ctx, path, depth, flags);
  return fail(`expected a boolean, got ${describe(value)}`);
}

const NULL_WORDS = new Set(["null", "none", "nil", ""]);

export function alignNull(value: unknown, path: Path): Outcome {
  if (value === null) return ok(null);
  if (typeof value === "string" && NULL_WORDS.has(value.trim().toLowerCase())) return ok(null, SCALAR, [`coerce:null${at(path)}`]);
  return fail(`expected null, got ${describe(value)}`);
}

export function alignConst(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  const target = schema.const;
  if (jsonEqual(value, target)) return ok(target);
  const step = (cost: number) => [`${label(cost)}:const${at(path)}`];
  if (isContainer(target)) return fail("value differs from the required constant");
  if (isContainer(value)) return unwrapForScalar(value, schema, ctx, path, depth, flags);
  if (target === null) return alignNull(value, path);
  if (typeof value === "string") {
    if (typeof target === "number") {
      const r = readNumber(value);
      return r && r.value === target ? ok(target, r.cost, step(r.cost)) : fail(ambiguity(value) ?? `expected ${target}`);
    }
    if (typeof target === "boolean") {
      const r = readBoolean(value);
      return r && r.value === target ? ok(target, r.cost, step(r.cost)) : fail(ambiguity(value) ?? `expected ${target}`);
    }
    const m = matchWords(value, [{ id: 0, text: String(target) }]);
    return m.kind === "none" || m.kind === "ambiguous"
      ? fail(`expected ${JSON.stringify(target)}`)
      : ok(target, matchCost(m), step(matchCost(m)));
  }
  if (typeof target === "string" && (typeof value === "number" || typeof value === "boolean") && String(value) === target)
    return ok(target, SCALAR, step(SCALAR));
  return fail(`expected ${JSON.stringify(target)}, got ${describe(value)}`);
}

export function alignEnum(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  const options = schema.enum as unknown[];
  for (const option of options) if (jsonEqual(value, option) && !hasAlias(schema, option)) return ok(option);
  if (isContainer(value)) return unwrapForScalar(value, schema, ctx, path, depth, flags);
  if (value === null || value === undefined) return fail(`expected one of ${options.length} enum values, got ${describe(value)}`);
  const m = matchWords(String(value), spellings(schema, options));
  if (m.kind === "ambiguous") return fail(`ambiguous: mentions ${m.ids.map((i) => JSON.stringify(options[i])).join(" and ")}`);
  if (m.kind === "none") return fail("matches no enum value");
  if (typeof value !== "string" && m.kind !== "exact") return fail("matches no enum value");
  const cost = typeof value === "string" ? matchCost(m) : SCALAR;
  return ok(options[m.id], cost, [`${label(cost)}:enum${at(path)}`]);
}

/** `mention:*` marks a value read out of prose (riskier, refusable on its own); `coerce:*` a whole-value conversion. */
function label(cost: number): "coerce" | "mention" {
  return cost >= MENTION ? "mention" : "coerce";
}

function matchCost(m: { kind: "exact" | "mention"; level: number }): number {
  if (m.kind === "mention") return MENTION + (m.level - 1) * 0.1;
  return m.level === 1 ? 0.1 : FOLDED;
}

/** Our helpers' `x-aliases` add spellings; BAML's `x-baml-value-aliases` replace the value's own name. */
function valueAliases(schema: JsonSchema, option: unknown): { replace: string[]; add: string[] } {
  const baml = schema["x-baml-value-aliases"];
  const ours = schema["x-aliases"];
  const key = String(option);
  const pick = (table: unknown): string[] => {
    if (!table || typeof table !== "object" || Array.isArray(table)) return [];
    const v = (table as Record<string, unknown>)[key];
    return typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  };
  return { replace: pick(baml), add: pick(ours) };
}

function hasAlias(schema: JsonSchema, option: unknown): boolean {
  return valueAliases(schema, option).replace.length > 0;
}

function spellings(schema: JsonSchema, options: unknown[]): Spelling[] {
  const out: Spelling[] = [];
  options.forEach((option, id) => {
    if (option === null || typeof option === "object") return;
    const { replace, add } = valueAliases(schema, option);
    for (const text of replace.length > 0 ? replace : [String(option)]) out.push({ id, text });
    for (const text of add) out.push({ id, text });
  });
  return out;
}

function article(kind: string): string {
  return kind === "integer" ? "an integer" : `a ${kind}`;
}
