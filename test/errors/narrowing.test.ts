// Errors narrow on `kind`: each class declares its literal kind, `isBallastError` yields the union, and
// `cause` is kept. The type-level checks fail the type check (`tsc`) if narrowing breaks.
import assert from "node:assert/strict";
import { test } from "node:test";
import { expectTypeOf } from "expect-type";
import { type AnyBallastError, BallastError, DeadlineExceededError, ValidatorError, isBallastError } from "ballast";
import { ProviderHttpError, RateLimitedError, TimeoutError } from "ballast/errors";

test('`e.kind === "rate_limited" && e.retryAfterMs` type-checks and narrows', () => {
  const retryAfter = (e: unknown): number | undefined => {
    if (isBallastError(e) && e.kind === "rate_limited" && e.retryAfterMs) return e.retryAfterMs;
    return undefined;
  };
  assert.equal(retryAfter(new RateLimitedError(429, 1200, "slow down")), 1200);
  assert.equal(retryAfter(new TimeoutError(10)), undefined);
  assert.equal(retryAfter(new Error("not ours")), undefined);

  expectTypeOf<Extract<AnyBallastError, { kind: "rate_limited" }>>().toEqualTypeOf<RateLimitedError>();
  expectTypeOf<Extract<AnyBallastError, { kind: "provider_http" }>>().toEqualTypeOf<ProviderHttpError>();
  expectTypeOf<RateLimitedError["kind"]>().toEqualTypeOf<"rate_limited">();
  expectTypeOf<DeadlineExceededError["kind"]>().toEqualTypeOf<"deadline_exceeded">();
  expectTypeOf(isBallastError).guards.toEqualTypeOf<AnyBallastError>();
});

test("a switch over kind reaches each class's own fields", () => {
  const describe = (e: AnyBallastError): string => {
    switch (e.kind) {
      case "provider_http":
        return `http ${e.status}`;
      case "deadline_exceeded":
        return `deadline ${e.deadlineMs}`;
      case "validator_error":
        return `validator ${String((e.cause as Error).message)}`;
      default:
        return e.kind;
    }
  };
  assert.equal(describe(new ProviderHttpError(404, "gone")), "http 404");
  assert.equal(describe(new DeadlineExceededError(300)), "deadline 300");
  assert.equal(describe(new ValidatorError(new Error("bug"))), "validator bug");
});

test("cause is always kept", () => {
  const root = new Error("socket hang up");
  assert.equal(new ProviderHttpError(502, "bad gateway", undefined, { cause: root }).cause, root);
  assert.equal(new RateLimitedError(429, undefined, "x", { cause: root }).cause, root);
  assert.equal(new DeadlineExceededError(1, { cause: root }).cause, root);
  assert.equal(new ValidatorError(root).cause, root);
  assert.ok(new ValidatorError(root) instanceof BallastError);
});
