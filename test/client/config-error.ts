// What the caller sees of a mistake of theirs: a ConfigurationError (kind "configuration") whose message
// names the field, whether the call throws or rejects.
import assert from "node:assert/strict";
import { ConfigurationError } from "ballast";

export async function expectConfigurationError(run: () => unknown, field: RegExp, label: string): Promise<ConfigurationError> {
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof ConfigurationError, `${label}: expected a ConfigurationError, got ${String(error)}`);
  assert.equal(error.kind, "configuration", label);
  assert.match(error.message, field, label);
  return error;
}
