/**
 * Checks at the boundary, before anything runs: the client's option names and its own options (breaker,
 * budget, traces, redact, onEvent, shared, rateLimits), that a schema is a schema, and that an input can be
 * sent (no circular references, BigInt, functions or a missing input). Each problem is a ConfigurationError
 * naming the option or the input's path.
 */
import { assertSchema } from "../schema/index.js";
import { ConfigurationError } from "../errors/index.js";
import { redactOptionProblem, tracePathProblem } from "../observe/index.js";
import type { BallastOptions } from "./options.js";
import { CLIENT_OPTIONS, unknownOptionProblem } from "./check-option-names.js";
import { breakerStoreProblem, rateLimitsProblem, sharedStateProblem } from "./check-shared-state.js";
import { describe, inputProblem } from "../core/index.js";
import { millisecondsProblem } from "./resolve-options.js";

const fail = (where: string, problem: string | null): void => {
  if (problem !== null) throw new ConfigurationError(`${where}: ${problem}`);
};

/** The client's option names and the options only a client has (the shared ones are checked by `layerOptions`). */
export function checkClientOptions(options: BallastOptions): void {
  if (options === null || typeof options !== "object")
    throw new ConfigurationError(`createBallast: options must be an object { models, … }, got ${describe(options)}`);
  const where = "createBallast";
  fail(where, unknownOptionProblem(options, CLIENT_OPTIONS));
  fail(where, redactOptionProblem(options.redact));
  if (options.shared !== undefined) fail(where, sharedStateProblem(options.shared));
  if (options.rateLimits !== undefined) fail(where, rateLimitsProblem(options.rateLimits));
  if (options.onEvent !== undefined && typeof options.onEvent !== "function") fail(where, "onEvent must be a function");
  const b = options.breaker;
  if (b !== undefined && b !== false) {
    if (b === null || typeof b !== "object") fail(where, `breaker must be an object or false, got ${describe(b)}`);
    if (b.windowMs !== undefined) fail(where, millisecondsProblem("breaker.windowMs", b.windowMs));
    if (b.cooldownMs !== undefined) fail(where, millisecondsProblem("breaker.cooldownMs", b.cooldownMs));
    if (b.threshold !== undefined && !(typeof b.threshold === "number" && b.threshold > 0 && b.threshold <= 1))
      fail(where, `breaker.threshold must be a number above 0 and at most 1, got ${describe(b.threshold)}`);
    for (const key of ["minimumCalls", "consecutiveFailures"] as const) {
      const v = b[key];
      if (v !== undefined && !(Number.isInteger(v) && v >= 1))
        fail(where, `breaker.${key} must be a whole number >= 1, got ${describe(v)}`);
    }
    if (b.store !== undefined) fail(where, breakerStoreProblem("breaker.store", b.store));
  }
  const budget = options.budget;
  if (budget !== undefined) {
    if (budget === null || typeof budget !== "object") fail(where, `budget must be an object { limitUsd }, got ${describe(budget)}`);
    if (!(typeof budget.limitUsd === "number" && budget.limitUsd >= 0 && Number.isFinite(budget.limitUsd)))
      fail(where, `budget.limitUsd must be a number of dollars >= 0, got ${describe(budget.limitUsd)}`);
    if (budget.windowMs !== undefined) fail(where, millisecondsProblem("budget.windowMs", budget.windowMs));
  }
  const t = options.traces;
  if (typeof t === "string") fail(where, tracePathProblem(t));
  if (t !== undefined && t !== false && typeof t !== "string") {
    if (t === null || typeof t !== "object") fail(where, `traces must be a path, store options or false, got ${describe(t)}`);
    if (t.flushMs !== undefined) fail(where, millisecondsProblem("traces.flushMs", t.flushMs));
    if (t.content !== undefined && t.content !== "full" && t.content !== "metadata")
      fail(where, `traces.content must be "full" or "metadata", got ${describe(t.content)}`);
    if (t.path !== undefined) fail(where, typeof t.path === "string" ? tracePathProblem(t.path) : "traces.path must be a string");
  }
}

/** Throws a ConfigurationError naming `where` unless `schema` is one Ballast takes (the schema layer decides what is). */
export function checkSchema(where: string, schema: unknown): void {
  try {
    assertSchema(schema);
  } catch (error) {
    fail(where, (error as Error).message);
  }
}

/** Throws a ConfigurationError naming `where` when the input cannot be put in a prompt (see `inputProblem`). */
export function checkInput(where: string, input: unknown): void {
  const problem = inputProblem(input);
  if (problem !== null) fail(where, problem);
}
