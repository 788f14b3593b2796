// Every provider factory refuses bad arguments as it is called, with a ConfigurationError naming what was
// wrong, instead of sending a request the provider refuses (or an SDK throws on) call after call, where the
// model's circuit breaker would take the blame for the caller's mistake.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigurationError } from "../../src/index.js";
import { anthropic } from "../../src/providers/anthropic/index.js";
import { google } from "../../src/providers/google/index.js";
import { openai } from "../../src/providers/openai/index.js";

const factories = {
  "openai()": (model: unknown, options?: unknown) => openai(model as string, options as never),
  "anthropic()": (model: unknown, options?: unknown) => anthropic(model as string, options as never),
  "google()": (model: unknown, options?: unknown) => google(model as string, options as never),
};

function refuses(make: () => unknown, says: RegExp): void {
  assert.throws(make, (e: unknown) => {
    assert.ok(e instanceof ConfigurationError, `a ConfigurationError, got ${String(e)}`);
    assert.equal(e.kind, "configuration");
    assert.match(e.message, says);
    return true;
  });
}

for (const [name, make] of Object.entries(factories)) {
  test(`${name} refuses a bad model name, options, mode, apiKey or header`, () => {
    const fn = name.replace(/[()]/g, "\\$&");
    for (const model of ["", "   ", 5, undefined, null]) refuses(() => make(model, { apiKey: "k" }), new RegExp(`${fn}: the model name`));
    refuses(() => make("m", null), new RegExp(`${fn}: options must be an object, got null`));
    refuses(() => make("m", "key"), /options must be an object, got "key"/);
    refuses(() => make("m", { apiKey: "k", mode: "yaml" }), /mode must be one of .*got "yaml"/);
    refuses(() => make("m", { apiKey: "" }), /apiKey must be a non-empty string/);
    refuses(() => make("m", { apiKey: 42 }), /apiKey must be a non-empty string/);
    refuses(() => make("m", { apiKey: "k", headers: 5 }), /headers must be an object of header names to string values, got 5/);
    refuses(() => make("m", { apiKey: "k", headers: ["x"] }), /headers must be an object .*got an array/);
    refuses(
      () => make("m", { apiKey: "k", headers: { "X-Trace Id": "a" } }),
      /headers\["X-Trace Id"\]: "X-Trace Id" is not a valid HTTP header name/,
    );
    refuses(() => make("m", { apiKey: "k", headers: { "X-Ok": 1 } }), /headers\["X-Ok"\] must be a string, got 1/);
    refuses(
      () => make("m", { apiKey: "k", headers: { "X-Ok": "a\r\nSet-Cookie: x" } }),
      /headers\["X-Ok"\]: the value holds a CR, LF or NUL/,
    );
    // What is valid still builds a model.
    const ok = make("m", { apiKey: "k", headers: { "X-Trace-Id": "abc 123", "x_custom.v2": "" } }) as { modelId: string };
    assert.equal(ok.modelId, "m");
  });
}

test("a model reports the key it was given, or read from the environment, for redaction; no placeholder", () => {
  assert.deepEqual(openai("m", { apiKey: "sk-given-0123456789" }).credentials?.(), ["sk-given-0123456789"]);
  process.env.ANTHROPIC_API_KEY = "env-anthropic-0123456789";
  try {
    assert.deepEqual(anthropic("claude-x").credentials?.(), ["env-anthropic-0123456789"]);
  } finally {
    delete process.env.ANTHROPIC_API_KEY;
  }
  assert.deepEqual(google("gemini-x", { baseURL: "http://127.0.0.1:1" }).credentials?.(), []);
  // Not an enumerable property: a model printed or serialised shows no key.
  assert.ok(!JSON.stringify(openai("m", { apiKey: "sk-given-0123456789" })).includes("sk-given"));
});
