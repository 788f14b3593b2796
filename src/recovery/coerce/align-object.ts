/** Rules for object targets: key matching, field coercion, missing and extra fields, and reshaping.
 * Reshaping covers an object under one wrapper key, a value that belongs in the only field, and an array of one. */
import type { JsonSchema } from "../../core/index.js";
import { align, unwrapForScalar } from "./align.js";
import { DROP_EXTRA, FILL, FILL_PARTIAL, KEEP_EXTRA, KEY_ALIAS, KEY_DRIFT, UNWRAP_OBJECT, WRAP_OBJECT } from "./costs.js";
import { keyPlan, matchKeys } from "./object-keys.js";
import {
  type AlignContext,
  appendSteps,
  at,
  childPath,
  describe,
  fail,
  failAt,
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

export function alignObject(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number, flags: number): Outcome {
  const candidates: Outcome[] = [];
  if (isPlainObject(value)) {
    const direct = alignFields(value, schema, ctx, path, depth);
    if (direct.ok && direct.cost === 0) return direct;
    candidates.push(direct);
    const keys = Object.keys(value);
    const inner = keys.length === 1 ? value[keys[0] as string] : undefined;
    if (!(flags & NO_UNWRAP) && isPlainObject(inner)) {
      ctx.exploring++;
      const o = alignFields(inner, schema, ctx, path, depth + 1);
      ctx.exploring--;
      if (o.ok) candidates.push(ok(o.value, o.cost + UNWRAP_OBJECT, [`unwrap:object${at(path)}`, ...o.steps]));
    }
  } else if (Array.isArray(value)) {
    // Only an array of one: picking one record out of several would silently drop the others.
    candidates.push(
      value.length === 1
        ? unwrapForScalar(value, schema, ctx, path, depth, flags)
        : fail(`expected an object, got an array of ${value.length}`),
    );
  }
  if (!candidates.some((c) => c.ok) && value !== null && value !== undefined) {
    if (!(flags & NO_WRAP)) candidates.push(wrapIntoOnlyField(value, schema, ctx, path, depth));
  }
  let best: Outcome | null = null;
  for (const c of candidates) if (c.ok && (!best?.ok || c.cost < best.cost)) best = c;
  if (best) return best;
  const firstError = candidates.find((c) => !c.ok);
  return firstError ?? fail(`expected an object, got ${describe(value)}`);
}

/** A value where an object with a single field is expected becomes that field ({"foo": 1214}). */
function wrapIntoOnlyField(value: unknown, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number): Outcome {
  const names = Object.keys(schema.properties ?? {});
  if (names.length !== 1) return fail(`expected an object, got ${describe(value)}`);
  const name = names[0] as string;
  // Free text is not evidence for a free-text field ("My inner string" is no {foo}); it may still
  // name an enum value or const, or hold a number.
  if (typeof value === "string" && acceptsFreeText(schema.properties?.[name], ctx))
    return fail(`expected an object, got ${describe(value)}`);
  ctx.exploring++;
  const o = align(value, schema.properties?.[name], ctx, childPath(path, name), depth + 1, RESHAPED);
  ctx.exploring--;
  if (!o.ok) return fail(`expected an object, got ${describe(value)}`);
  return ok({ [name]: o.value }, o.cost + WRAP_OBJECT, [`wrap:object${at(path)}`, ...o.steps]);
}

function alignFields(value: Record<string, unknown>, schema: JsonSchema, ctx: AlignContext, path: Path, depth: number): Outcome {
  const properties = schema.properties ?? {};
  const plan = keyPlan(schema);
  const matches = matchKeys(value, plan);
  const used = matches.used;
  const out: Record<string, unknown> = {};
  const steps: string[] = [];
  let cost = 0;
  for (let i = 0; i < plan.names.length; i++) {
    const name = plan.names[i] as string;
    const prop = properties[name];
    const key = matches.keys[i];
    if (key !== undefined) {
      const how = matches.how[i];
      const o = align(value[key], prop, ctx, childPath(path, name), depth + 1, 0);
      // While streaming, a field still being written (or not yet fitting) reads as null.
      if (!o.ok && ctx.partial) {
        setField(out, name, null);
        if (value[key] !== null) steps.push(`fill:null${at(childPath(path, name))}`);
        cost += FILL_PARTIAL;
        continue;
      }
      if (!o.ok && value[key] === null && ctx.valueless?.(value, key) === true) {
        // `"count": ,` (no value written): the field's default, or the empty value of its type
        const empty = emptyValue(prop, ctx);
        if (empty !== undefined) {
          setField(out, name, empty);
          steps.push(`fill:empty${at(childPath(path, name))}`);
          cost += FILL_PARTIAL;
          continue;
        }
      }
      if (!o.ok && value[key] === null) {
        // null for an optional field that cannot be null says "absent": leave it out.
        if (!plan.required.has(name)) {
          steps.push(`drop:null${at(childPath(path, name))}`);
          cost += FILL;
          continue;
        }
      }
      if (!o.ok) return failAt(childPath(path, name), o.error);
      if (how !== "exact") steps.push(`alias:key${at(childPath(path, name))}`);
      cost += o.cost + (how === "alias" ? KEY_ALIAS : how === "drift" ? KEY_DRIFT : 0);
      appendSteps(steps, o.steps);
      setField(out, name, o.value);
      continue;
    }
    const where = childPath(path, name);
    const resolved = resolveSchema(prop, ctx.root, ctx.refs);
    const node = resolved.ok ? resolved.schema : {};
    if (plan.required.has(name)) {
      const empty = emptyContainer(node, ctx.partial);
      if (empty === undefined && !ctx.partial) return fail(`missing required field ${showPath(where)}`);
      setField(out, name, empty ?? null);
      cost += FILL_PARTIAL;
      steps.push(`${empty === undefined ? "fill:null" : "fill:empty"}${at(where)}`);
    } else if (node.default !== undefined) {
      setField(out, name, structuredClone(node.default));
      cost += FILL;
      steps.push(`fill:default${at(where)}`);
    } else if (acceptsNull(node, ctx)) {
      setField(out, name, null);
      cost += FILL;
      steps.push(`fill:null${at(where)}`);
    }
  }
  const additional = schema.additionalProperties;
  const keyCount = Object.keys(value).length;
  if (keyCount === used.size) return ok(out, cost, steps.length > 0 ? steps : undefined);
  if (keyCount > 0 && used.size === 0 && Object.keys(properties).length > 0 && additional === false && !schema.patternProperties) {
    return fail("none of the object's keys belong to this schema");
  }
  const patterns =
    schema.patternProperties && typeof schema.patternProperties === "object"
      ? Object.entries(schema.patternProperties as Record<string, unknown>)
      : [];
  const declared = plan.names.length > 0;
  for (const key of Object.keys(value)) {
    if (used.has(key)) continue;
    const where = childPath(path, key);
    const pattern = patterns.find(([p]) => safeTest(p, key, ctx));
    const target = pattern ? pattern[1] : additional;
    if (target === false) {
      steps.push(`drop:extra${at(where)}`);
      cost += DROP_EXTRA;
      continue;
    }
    if (target !== undefined && target !== true) {
      const o = align(value[key], target, ctx, where, depth + 1, 0);
      if (!o.ok) return failAt(where, o.error);
      cost += o.cost;
      appendSteps(steps, o.steps);
      setField(out, key, o.value);
      continue;
    }
    setField(out, key, value[key]);
    if (declared) cost += KEEP_EXTRA;
  }
  return ok(out, cost, steps);
}

/** The value of a field written without one: its default, else its type's empty value; undefined if none fits. */
function emptyValue(prop: unknown, ctx: AlignContext): unknown {
  const r = resolveSchema(prop, ctx.root, ctx.refs);
  if (!r.ok) return undefined;
  const node = r.schema;
  if (node.default !== undefined) return structuredClone(node.default);
  if ("const" in node || Array.isArray(node.enum) || node.anyOf || node.oneOf) return undefined;
  switch (node.type) {
    case "string":
      return typeof node.pattern === "string" || (typeof node.minLength === "number" && node.minLength > 0) ? undefined : "";
    case "integer":
    case "number":
      return node.minimum !== undefined || node.exclusiveMinimum !== undefined || node.maximum !== undefined ? undefined : 0;
    case "boolean":
      return false;
    case "array":
      return typeof node.minItems === "number" && node.minItems > 0 ? undefined : [];
    case "object":
      return Array.isArray(node.required) && node.required.length > 0 ? undefined : {};
    default:
      return undefined;
  }
}

/** An absent list reads as an empty list; an absent map as an empty map while the value is still partial. */
function emptyContainer(node: JsonSchema, partial: boolean): unknown[] | Record<string, never> | undefined {
  const type = node.type ?? (node.items !== undefined ? "array" : undefined);
  if (type === "array") return [];
  if (partial && type === "object" && !node.properties) return {};
  return undefined;
}

function acceptsFreeText(node: unknown, ctx: AlignContext, depth = 0): boolean {
  const r = resolveSchema(node, ctx.root, ctx.refs);
  if (!r.ok || depth > 8) return false;
  const s = r.schema;
  if ("const" in s || Array.isArray(s.enum)) return false;
  if (s.type === "string" || (Array.isArray(s.type) && s.type.includes("string"))) return true;
  const union = s.anyOf ?? s.oneOf;
  return Array.isArray(union) && union.some((b) => acceptsFreeText(b, ctx, depth + 1));
}

function acceptsNull(node: JsonSchema, ctx: AlignContext, depth = 0): boolean {
  if (depth > 8) return false;
  if (node.type === "null" || (Array.isArray(node.type) && node.type.includes("null"))) return true;
  if ("const" in node) return node.const === null;
  if (Array.isArray(node.enum)) return node.enum.includes(null);
  const union = node.anyOf ?? node.oneOf;
  if (!Array.isArray(union)) return false;
  return union.some((b) => {
    const r = resolveSchema(b, ctx.root, ctx.refs);
    return r.ok && acceptsNull(r.schema, ctx, depth + 1);
  });
}

function safeTest(pattern: string, key: string, ctx: AlignContext): boolean {
  let re = ctx.patterns.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    ctx.patterns.set(pattern, re);
  }
  return re?.test(key) ?? false;
}

/** Plain assignment would turn a "__proto__" key into a prototype change; define it as data instead. */
function setField(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__")
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else out[key] = value;
}
