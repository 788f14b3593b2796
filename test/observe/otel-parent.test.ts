// Traces that join up: with a context manager registered (as an OTel SDK does), the provider SDK's own
// spans (here from an instrumented fetch, as fetch/HTTP instrumentations make them) are children of
// Ballast's attempt span, which is a child of the call's `invoke_agent` span; whole replies and streams.
import assert from "node:assert/strict";
import { AsyncLocalStorage } from "node:async_hooks";
import { after, before, test } from "node:test";
import { type Context, type ContextManager, context, ROOT_CONTEXT } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import OpenAI from "openai";
import { z } from "zod";
import { createBallast } from "ballast";
import { openai } from "ballast/openai";
import { otelListener } from "ballast/otel";
import { type Simulator, startSimulator } from "ballast/testing";

/** The AsyncLocalStorage context manager an OTel Node SDK registers, in a few lines. */
class StorageContextManager implements ContextManager {
  private storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: Context, fn: F, thisArg?: ThisParameterType<F>, ...args: A) {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

const S = z.object({ label: z.enum(["a", "b"]), n: z.number() });
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer("test");
let sim: Simulator;
before(async () => {
  context.setGlobalContextManager(new StorageContextManager());
  sim = await startSimulator({ seed: 4 });
});
after(() => {
  sim.close();
  context.disable();
});

/** A fetch that records a span under the active context, as an HTTP instrumentation does. */
const tracedFetch: typeof fetch = async (input, init) => {
  const span = tracer.startSpan("POST provider", {}, context.active());
  try {
    return await fetch(input, init);
  } finally {
    span.end();
  }
};

const model = (name: string) =>
  openai(name, { client: new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "k", maxRetries: 0, fetch: tracedFetch }) });

for (const streamed of [false, true]) {
  test(`the SDK's span is a child of the attempt span, itself a child of the call span (${streamed ? "stream" : "generate"})`, async () => {
    exporter.reset();
    const llm = createBallast({ models: [model("traced")], traces: false, onEvent: otelListener({ tracer }) });
    if (streamed) {
      const s = llm.stream({ name: "traced-task", schema: S, input: "x" });
      for await (const _ of s);
      await s.result;
    } else await llm.generate({ name: "traced-task", schema: S, input: "x" });
    const spans = exporter.getFinishedSpans();
    const call = spans.find((s) => s.name === "invoke_agent traced-task");
    const attempt = spans.find((s) => s.name === "chat traced");
    const http = spans.find((s) => s.name === "POST provider");
    assert.ok(call && attempt && http, spans.map((s) => s.name).join(", "));
    assert.equal(call.attributes["gen_ai.operation.name"], "invoke_agent");
    assert.equal(attempt.attributes["gen_ai.operation.name"], "chat");
    const parentOf = (s: typeof call) => s.parentSpanContext?.spanId;
    assert.equal(parentOf(attempt), call.spanContext().spanId);
    assert.equal(parentOf(http), attempt.spanContext().spanId, "the SDK's span hangs under the attempt");
    assert.equal(http.spanContext().traceId, call.spanContext().traceId);
  });
}
