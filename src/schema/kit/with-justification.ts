/**
 * `withJustification`: the same object schema with a described `reasoning` string as its first field, so
 * the model reasons before it commits to the answer fields (they are generated in schema order).
 */
import { z } from "zod";
import { ConfigurationError } from "../../errors/index.js";

export const JUSTIFICATION_DESCRIPTION =
  "Think step by step before answering: the evidence in the input and how it leads to each answer field. Written before the answer.";

export interface JustificationOptions {
  /** The field name (default "reasoning"). */
  field?: string;
  description?: string;
}

type WithReasoning<S extends z.ZodObject, F extends string> = z.ZodObject<
  { [K in F]: z.ZodString } & Omit<S["shape"], F>,
  S["_zod"]["config"]
>;

/** @example const Answer = withJustification(z.object({ label: z.enum(["bug", "feature"]) })); // { reasoning, label } */
export function withJustification<S extends z.ZodObject, F extends string = "reasoning">(
  schema: S,
  options: JustificationOptions & { field?: F } = {},
): WithReasoning<S, F> {
  if (!(schema instanceof z.ZodObject)) throw new ConfigurationError("withJustification: expected a zod object schema (z.object({...}))");
  const field = options.field ?? "reasoning";
  const { [field]: _dropped, ...rest } = schema.shape as Record<string, z.ZodType>;
  const reasoning = z.string().describe(options.description ?? JUSTIFICATION_DESCRIPTION);
  // Keep the caller's object settings (strict / passthrough / description) by rebuilding from the original.
  const extended = schema.pick({}).extend({ [field]: reasoning, ...rest });
  const rebuilt = schema.description ? extended.describe(schema.description) : extended;
  return rebuilt as unknown as WithReasoning<S, F>;
}
