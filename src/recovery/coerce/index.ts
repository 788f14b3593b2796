/** Schema-aligned coercion: reshapes a recovered value into what the schema asks for, listing every step.
 * Entry points: coerce() for the recovery pipeline, fitScore() to rank candidate values before choosing one. */
import type { JsonSchema } from "../../schema/json-schema.js";
import { align } from "./align.js";
import { LATER_ALTERNATIVE, RAW_TEXT, REPAIR_STEP } from "./costs.js";
import type { AlignContext, Outcome } from "./outcome.js";
import { resolveSchema } from "./schema-refs.js";

export interface CoerceOptions {
	/** "partial": the value may be incomplete (streaming); missing required fields become null. Default "final". */
	mode?: "final" | "partial";
	/**
	 * The whole reply the value was recovered from. Lets a string schema take the reply verbatim, and lets
	 * scalar schemas read prose ("The answer is TWO") when the parser found no JSON (pass value `undefined`)
	 * or needed repairs to find it.
	 */
	text?: string;
	/** Further values found in the reply (other fences, other top-level values), in document order. */
	alternatives?: readonly unknown[];
	/** The repair steps the parser applied to get `value`; each makes reading the raw text relatively likelier. */
	repairs?: readonly string[];
	/** Deepest nesting coerced before failing (bounds the stack). Default 512. */
	maxDepth?: number;
}

export type CoerceResult =
	| { ok: true; value: unknown; steps: string[] }
	| { ok: false; error: string; steps: string[] };

const DEFAULT_MAX_DEPTH = 512;
/** Rule applications allowed: a floor plus a generous multiple of the value's size (bounds union blow-ups). */
const BUDGET_FLOOR = 1_000_000;
const BUDGET_PER_NODE = 64;

/** Coerces `value` toward `schema`. Never throws; never invents a required value (it fails instead). */
export function coerce(
	value: unknown,
	schema: JsonSchema,
	options: CoerceOptions = {},
): CoerceResult {
	try {
		return coerceCandidates(value, schema, options);
	} catch (error) {
		return {
			ok: false,
			error: `coercion failed: ${error instanceof Error ? error.message : String(error)}`,
			steps: [],
		};
	}
}

/** How well `value` fits `schema`: 1 exact, towards 0 the more coercion it needs, 0 when it cannot fit. Never throws. */
export function fitScore(value: unknown, schema: JsonSchema): number {
	try {
		const o = align(value, schema, newContext(schema, {}), null, 0, 0);
		return o.ok ? 1 / (1 + o.cost) : 0;
	} catch {
		return 0;
	}
}

interface Candidate {
	value: unknown;
	penalty: number;
	label: string | null;
}

function coerceCandidates(
	value: unknown,
	schema: JsonSchema,
	options: CoerceOptions,
): CoerceResult {
	if (schema === null || typeof schema !== "object" || Array.isArray(schema))
		return { ok: false, error: "invalid schema", steps: [] };
	const ctx = newContext(schema, options);
	ctx.budget =
		BUDGET_FLOOR +
		BUDGET_PER_NODE * countNodes([value, ...(options.alternatives ?? [])]);
	const root = resolveSchema(schema, schema, ctx.refs);
	if (!root.ok)
		return { ok: false, error: `invalid schema: ${root.error}`, steps: [] };
	const { text } = options;
	if (text !== undefined && isPlainString(root.schema))
		return readReplyAsString(text, schema, ctx);

	const repairs = options.repairs?.length ?? 0;
	const base = repairs * REPAIR_STEP;
	const alternatives = options.alternatives ?? [];
	const candidates: Candidate[] = [];
	if (value !== undefined)
		candidates.push({ value, penalty: base, label: null });
	alternatives.forEach((alt, i) => {
		if (alt !== undefined)
			candidates.push({
				value: alt,
				penalty: base + (i + 1) * LATER_ALTERNATIVE,
				label: `candidate:${i + 1}`,
			});
	});
	const all = [value, ...alternatives].filter((v) => v !== undefined);
	if (all.length > 1)
		candidates.push({
			value: all,
			penalty: base + LATER_ALTERNATIVE,
			label: "combine:array",
		});
	const textUseful =
		value === undefined || (repairs > 0 && isScalarLike(root.schema, ctx));
	if (text !== undefined && textUseful)
		candidates.push({ value: text, penalty: RAW_TEXT, label: "text:raw" });
	if (candidates.length === 0)
		return { ok: false, error: "no value to coerce", steps: [] };

	let best: {
		outcome: Outcome & { ok: true };
		total: number;
		label: string | null;
	} | null = null;
	let firstError = "";
	let textAmbiguous: string | null = null;
	for (const c of candidates) {
		const o = align(c.value, schema, ctx, null, 0, 0);
		if (!o.ok) {
			firstError ||= o.error;
			// The reply itself says two things; a fragment the parser picked out of it must not decide.
			if (
				c.label === "text:raw" &&
				value !== undefined &&
				/\bambiguous\b/.test(o.error)
			)
				textAmbiguous = o.error;
			continue;
		}
		const total = o.cost + c.penalty;
		if (!best || total < best.total)
			best = { outcome: o, total, label: c.label };
	}
	if (!best) return { ok: false, error: firstError, steps: [] };
	// A fragment that takes one side of an ambiguous reply must not decide; an explicit null ("none") may.
	if (
		textAmbiguous !== null &&
		best.label !== "text:raw" &&
		best.outcome.value !== null
	)
		return { ok: false, error: textAmbiguous, steps: [] };
	const steps = best.label
		? [best.label, ...best.outcome.steps]
		: best.outcome.steps;
	return { ok: true, value: best.outcome.value, steps };
}

/** Values and containers in `root`, counted without recursion. */
function countNodes(root: unknown): number {
	let count = 0;
	const stack: unknown[] = [root];
	while (stack.length > 0) {
		const v = stack.pop();
		count++;
		if (v === null || typeof v !== "object") continue;
		if (Array.isArray(v)) for (const x of v) stack.push(x);
		else
			for (const k in v)
				if (Object.hasOwn(v, k)) stack.push((v as Record<string, unknown>)[k]);
	}
	return count;
}

function newContext(schema: JsonSchema, options: CoerceOptions): AlignContext {
	return {
		root: schema,
		partial: options.mode === "partial",
		maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
		budget: BUDGET_FLOOR,
		refs: new Map(),
		exploring: 0,
		memo: [],
		patterns: new Map(),
	};
}

/** Schemas a sentence of prose can satisfy: scalars, enums, consts, and unions of them. */
function isScalarLike(
	schema: JsonSchema,
	ctx: AlignContext,
	depth = 0,
): boolean {
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
	return types.every(
		(t) =>
			t === "string" ||
			t === "number" ||
			t === "integer" ||
			t === "boolean" ||
			t === "null",
	);
}

function isPlainString(schema: JsonSchema): boolean {
	return (
		schema.type === "string" &&
		!("const" in schema) &&
		!Array.isArray(schema.enum)
	);
}

/** A string schema takes the reply as written, unless the reply is empty or a bare boolean. */
function readReplyAsString(
	text: string,
	schema: JsonSchema,
	ctx: AlignContext,
): CoerceResult {
	const trimmed = text.trim();
	if (trimmed === "" || trimmed === '""' || trimmed === "''")
		return { ok: false, error: "empty reply", steps: [] };
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
