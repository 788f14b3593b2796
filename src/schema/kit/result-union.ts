/**
 * `resultUnion`: a discriminated union on `status` of the success shape and a typed error branch, so a model
 * can say "I can't" (not_applicable, insufficient_information…) without breaking the schema; `fail()`
 * builds the hardcoded fallback that fits it.
 */
import { z } from "zod";
import { ConfigurationError } from "../../errors/index.js";

export interface ResultUnionOptions<E extends string> {
  /** The error kinds the model may answer with, or kind -> when to use it. */
  errors: readonly [E, ...E[]] | Record<E, string>;
}

export type ErrorBranch<E extends string> = { status: "error"; error: E; message: string };

type SuccessBranch<S extends z.ZodObject> = z.ZodObject<{ status: z.ZodLiteral<"success"> } & S["shape"]>;
type ErrorSchema<E extends string> = z.ZodObject<{
  status: z.ZodLiteral<"error">;
  error: z.ZodEnum<{ [K in E]: K }>;
  message: z.ZodString;
}>;

export type ResultUnion<S extends z.ZodObject, E extends string> = z.ZodDiscriminatedUnion<[SuccessBranch<S>, ErrorSchema<E>]> & {
  readonly errorKinds: readonly E[];
  /** A valid error value (e.g. the hardcoded fallback): `fail("unavailable", "Try again later")`. */
  fail(error: E, message?: string): ErrorBranch<E>;
};

/** @example const Answer = resultUnion(z.object({ label: z.string() }), { errors: ["not_applicable", "insufficient_information"] }); */
export function resultUnion<S extends z.ZodObject, const E extends string>(success: S, options: ResultUnionOptions<E>): ResultUnion<S, E> {
  if (!(success instanceof z.ZodObject)) throw new ConfigurationError("resultUnion: the success schema must be a zod object");
  if ("status" in success.shape)
    throw new ConfigurationError('resultUnion: the success schema already has a "status" field (it is the discriminator)');
  const described = !Array.isArray(options.errors);
  const kinds = (described ? Object.keys(options.errors) : [...(options.errors as readonly E[])]) as E[];
  if (kinds.length === 0) throw new ConfigurationError("resultUnion: give at least one error kind");
  const guide = described
    ? kinds.map((k) => `"${k}": ${(options.errors as Record<E, string>)[k]}`).join("; ")
    : kinds.map((k) => `"${k}"`).join(", ");
  const ok = success.extend({ status: z.literal("success").describe('"success" when you could do the task') });
  const shape = ok.shape as Record<string, z.ZodType>;
  const { status, ...rest } = shape;
  const successBranch = z.object({ status: status!, ...rest });
  const errorBranch = z.object({
    status: z.literal("error").describe('"error" when you cannot do the task as asked'),
    error: z.enum(kinds as [E, ...E[]]).describe(`Why not: ${guide}`),
    message: z.string().describe("One sentence for the user explaining what is missing or wrong"),
  });
  const union = z.discriminatedUnion("status", [successBranch, errorBranch]);
  return Object.assign(union, {
    errorKinds: kinds,
    fail: (error: E, message = "Unable to process this right now. Try again later."): ErrorBranch<E> => ({
      status: "error",
      error,
      message,
    }),
  }) as unknown as ResultUnion<S, E>;
}
