/**
 * Validation through the Standard Schema interface (`~standard.validate`), so zod v4, valibot, arktype…
 * all work. Issues come back as Ballast's `ValidationIssue` with plain paths.
 */
import type { ValidationIssue } from "../core/index.js";

/** The slice of the Standard Schema v1 spec Ballast relies on. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    readonly jsonSchema?: { input?: (options: { target: string }) => Record<string, unknown> };
  };
}
type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }> };

export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : never;

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return typeof value === "object" && value !== null && "~standard" in value;
}

type StandardIssues = ReadonlyArray<{ message: string; path?: ReadonlyArray<PropertyKey | { key: PropertyKey }> }>;

function toIssues(issues: StandardIssues): ValidationIssue[] {
  return issues.map((issue) => ({
    path: (issue.path ?? []).map((p) => {
      const key = typeof p === "object" && p !== null ? p.key : p;
      return typeof key === "number" ? key : String(key);
    }),
    message: issue.message,
  }));
}

/** Validates synchronously when the validator allows it (zod does), awaiting only when it returns a promise. */
export function validate<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): Validation<T> | Promise<Validation<T>> {
  const result = schema["~standard"].validate(value);
  if (result instanceof Promise) return result.then(settle);
  return settle(result);
}

/**
 * The verdict now, when the validator can give one synchronously; null when it must be awaited. A validator that
 * throws (a bug in a `.refine` or `.transform`) throws its own exception here. Zod answers a check that threw
 * with a rejected promise (it retries asynchronously, then throws again): its synchronous `safeParse` shows
 * the throw for what it is, and tells a truly asynchronous check (which it refuses to run) apart.
 */
export function validateNow<T>(schema: StandardSchemaV1<unknown, T>, value: unknown): Validation<T> | null {
  const std = schema["~standard"];
  const result = std.validate(value);
  if (!(result instanceof Promise)) return settle(result);
  result.catch(() => {}); // not awaited: its rejection must not surface as an unhandled one
  const safeParse = (schema as { safeParse?: unknown }).safeParse;
  if (std.vendor !== "zod" || typeof safeParse !== "function") return null;
  let parsed: { success: boolean; data?: T; error?: { issues: StandardIssues } };
  try {
    parsed = safeParse.call(schema, value);
  } catch (error) {
    if (error instanceof Error && /synchronous parse/i.test(error.message)) return null; // an async check: zod's own refusal
    throw error;
  }
  return parsed.success ? { ok: true, value: parsed.data as T } : { ok: false, issues: toIssues(parsed.error?.issues ?? []) };
}

function settle<T>(result: StandardResult<T>): Validation<T> {
  return result.issues ? { ok: false, issues: toIssues(result.issues) } : { ok: true, value: result.value };
}
