// The public types, pinned. The assertions are checked by the type check (`npm test` runs tsc over test/),
// so a change that widens a result to `any`, loses a fallback's type or breaks error narrowing fails the
// suite; the one runtime test below makes the file a visible part of the test run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { expectTypeOf } from "expect-type";
import { z } from "zod";
import {
  type AllAttemptsFailedError,
  type AttemptRecord,
  type DeepPartial,
  type GenerateResult,
  type ResultSource,
  type SnapshotEvent,
  type StructuredStream,
  type Task,
  createBallast,
  isBallastError,
} from "ballast";
import { openai } from "ballast/openai";
import { jsonSchema, resultUnion } from "ballast/schema";

const Review = z.object({ sentiment: z.enum(["positive", "negative"]), topics: z.array(z.string()) });
type Review = z.infer<typeof Review>;

function typeOnly(): void {
  const llm = createBallast({ models: [openai("gpt-4.1-mini", { apiKey: "k" })] });

  // Task<T> infers T from the schema; a call resolves to GenerateResult<T>.
  const classify = llm.task({ name: "classify", schema: Review, fallback: { sentiment: "negative", topics: [] } });
  expectTypeOf(classify).toEqualTypeOf<Task<Review>>();
  expectTypeOf(classify("text")).resolves.toEqualTypeOf<GenerateResult<Review>>();
  expectTypeOf<GenerateResult<Review>["value"]>().toEqualTypeOf<Review>();
  expectTypeOf<GenerateResult<Review>["source"]>().toEqualTypeOf<ResultSource>();
  expectTypeOf<ResultSource>().toEqualTypeOf<"model" | "repaired" | "fallback">();
  expectTypeOf<GenerateResult<Review>["attempts"]>().toEqualTypeOf<AttemptRecord[]>();

  // A fallback must fit the schema, as a value or as a function of the input and the errors.
  // (A function that takes the input is checked after the schema fixed T, so its literals keep their types;
  // one with no parameters is typed before that and needs an annotation: `(): Review => ...`.)
  llm.task({ name: "f1", schema: Review, fallback: (input) => ({ sentiment: "positive", topics: [String(input)] }) });
  llm.task({ name: "f1b", schema: Review, fallback: (): Review => ({ sentiment: "positive", topics: [] }) });
  llm.task({
    name: "f2",
    schema: Review,
    fallback: async (_input, errors) => ({ sentiment: "negative", topics: errors.map((e) => e.kind) }),
  });
  // @ts-expect-error a fallback that does not fit the schema
  llm.task({ name: "f3", schema: Review, fallback: { sentiment: "meh", topics: [] } });
  // @ts-expect-error a fallback function returning the wrong shape
  llm.task({ name: "f4", schema: Review, fallback: (_input) => ({ sentiment: "positive" }) });

  // generate() infers the same way; a plain JSON Schema carries the type you promise.
  expectTypeOf(llm.generate({ schema: Review, input: "x" })).resolves.toEqualTypeOf<GenerateResult<Review>>();
  const Plain = jsonSchema<{ n: number }>({ type: "object", properties: { n: { type: "number" } }, required: ["n"] });
  expectTypeOf(llm.generate({ schema: Plain, input: "x" })).resolves.toEqualTypeOf<GenerateResult<{ n: number }>>();

  // Streams: snapshots hold a deep-partial value; the final result is the whole one.
  const stream = classify.stream("text");
  expectTypeOf(stream).toEqualTypeOf<StructuredStream<Review>>();
  expectTypeOf(stream.result).resolves.toEqualTypeOf<GenerateResult<Review>>();
  expectTypeOf<SnapshotEvent<Review>["partial"]>().toEqualTypeOf<DeepPartial<Review> | undefined>();
  expectTypeOf<DeepPartial<Review>>().toEqualTypeOf<{ sentiment?: "positive" | "negative"; topics?: string[] }>();

  // Errors narrow on `kind` without instanceof.
  const caught: unknown = new Error("x");
  if (isBallastError(caught) && caught.kind === "all_attempts_failed") {
    expectTypeOf(caught).toEqualTypeOf<AllAttemptsFailedError>();
    expectTypeOf(caught.attempts).toEqualTypeOf<AttemptRecord[]>();
  }

  // A result union's fallback is one of its own branches.
  const Answer = resultUnion(z.object({ city: z.string() }), { errors: { unknown: "no city named" } });
  const where = llm.task({ name: "where", schema: Answer, fallback: Answer.fail("unknown", "unavailable") });
  expectTypeOf(where("x")).resolves.toEqualTypeOf<GenerateResult<z.infer<typeof Answer>>>();
}

test("the public types are pinned by the type check", () => {
  assert.equal(typeof typeOnly, "function"); // never called: it exists for tsc
  assert.equal(typeof createBallast, "function");
});
