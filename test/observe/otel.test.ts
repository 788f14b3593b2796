import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { gunzipSync } from "node:zlib";
import { SpanStatusCode } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import type { BallastEvent } from "../../src/core/events.js";
import { otelListener } from "../../src/observe/otel.js";
import { createSecretRegistry } from "../../src/observe/secrets.js";
import { attempt, callEvents, usage } from "./helpers.js";

const t = 1_700_000_000_000;
/** A call that failed on the primary (timeout), then a fallback model answered after JSON repair. */
function fallbackCall(): BallastEvent[] {
  return callEvents({
    callId: "call-1",
    ts: t,
    models: ["gpt-4o-mini", "claude-haiku-4-5"],
    attempts: [
      attempt({
        id: "a1",
        startedAt: t + 1,
        latencyMs: 500,
        outcome: "timeout",
        usage: usage(),
        costUsd: 0,
        finishReason: undefined,
        error: { kind: "timeout", message: "no answer in 500ms" },
      }),
      attempt({
        id: "a2",
        model: "claude-haiku-4-5",
        provider: "anthropic",
        rung: 1,
        startedAt: t + 510,
        latencyMs: 300,
        outcome: "repaired",
        recoverySteps: ["strip_fences", "trailing_commas"],
        usage: usage({ inputTokens: 1200, cachedInputTokens: 1000, cacheWriteTokens: 100, outputTokens: 80 }),
        costUsd: 0.000725,
        finishReason: "stop",
        responseText: '```json\n{"ok":true,}\n```',
      }),
    ],
    model: "claude-haiku-4-5",
    source: "repaired",
    extra: [{ type: "fallback", callId: "call-1", ts: t + 505, reason: "timeout" }],
  });
}

function assertSpans(byName: Map<string, { attributes: Record<string, unknown>; parent?: string; id: string; status?: number }>) {
  const call = byName.get("invoke_agent extract");
  const primary = byName.get("chat gpt-4o-mini");
  const fallback = byName.get("chat claude-haiku-4-5");
  assert.ok(call && primary && fallback, `spans: ${[...byName.keys()].join(", ")}`);
  assert.equal(primary.parent, call.id);
  assert.equal(fallback.parent, call.id);
  assert.equal(call.attributes["gen_ai.operation.name"], "invoke_agent");
  assert.equal(call.attributes["ballast.operation"], "generate");
  assert.equal(call.attributes["gen_ai.request.model"], "gpt-4o-mini");
  assert.equal(call.attributes["gen_ai.provider.name"], "anthropic");
  assert.equal(call.attributes["gen_ai.output.type"], "json");
  assert.equal(call.attributes["gen_ai.request.temperature"], 0.2);
  assert.equal(call.attributes["gen_ai.request.frequency_penalty"], 0.1);
  assert.equal(call.attributes["gen_ai.usage.input_tokens"], 1200);
  assert.equal(call.attributes["gen_ai.usage.output_tokens"], 80);
  assert.equal(call.attributes["gen_ai.usage.cache_read.input_tokens"], 1000);
  assert.equal(call.attributes["gen_ai.usage.cache_creation.input_tokens"], 100);
  assert.deepEqual(call.attributes["gen_ai.response.finish_reasons"], ["stop"]);
  assert.equal(call.attributes["ballast.source"], "repaired");
  assert.equal(call.attributes["ballast.fallback"], true);
  assert.ok(Math.abs((call.attributes["ballast.cost_usd"] as number) - 0.000725) < 1e-12);
  assert.deepEqual(call.attributes["ballast.recovery.steps"], ["strip_fences", "trailing_commas"]);
  assert.equal(call.attributes["error.type"], undefined);

  assert.equal(primary.attributes["gen_ai.operation.name"], "chat");
  assert.equal(primary.attributes["gen_ai.provider.name"], "openai");
  assert.equal(primary.attributes["error.type"], "timeout");
  assert.equal(primary.status, SpanStatusCode.ERROR);
  assert.equal(fallback.attributes["gen_ai.provider.name"], "anthropic");
  assert.equal(fallback.attributes["gen_ai.request.model"], "claude-haiku-4-5");
  assert.equal(fallback.attributes["gen_ai.usage.input_tokens"], 1200);
  assert.equal(fallback.attributes["gen_ai.usage.cache_read.input_tokens"], 1000);
  assert.equal(fallback.attributes["gen_ai.usage.cache_creation.input_tokens"], 100);
  assert.deepEqual(fallback.attributes["gen_ai.response.finish_reasons"], ["stop"]);
  assert.deepEqual(fallback.attributes["ballast.recovery.steps"], ["strip_fences", "trailing_commas"]);
  assert.equal(fallback.attributes["error.type"], undefined);
}

test("in-memory exporter: one parent span per call, a child per attempt, GenAI attributes by name", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const listen = otelListener({ tracer: provider.getTracer("test") });
  for (const e of fallbackCall()) listen(e);
  const spans = exporter.getFinishedSpans();
  assert.equal(spans.length, 3);
  const byName = new Map(
    spans.map((s: ReadableSpan) => [
      s.name,
      {
        attributes: s.attributes as Record<string, unknown>,
        parent: s.parentSpanContext?.spanId,
        id: s.spanContext().spanId,
        status: s.status.code,
      },
    ]),
  );
  assertSpans(byName);
  const call = spans.find((s) => s.name.startsWith("invoke_agent"))!;
  assert.deepEqual(call.startTime, [Math.floor(t / 1000), (t % 1000) * 1e6]);
  assert.ok(call.events.some((e) => e.name === "ballast.fallback"));
  // content is opt-in
  assert.equal(call.attributes["gen_ai.input.messages"], undefined);
});

test("captureContent records prompts and responses, redacted (API keys, the call's secret, the hook)", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const callSecrets = createSecretRegistry();
  const listen = otelListener({
    tracer: provider.getTracer("test"),
    captureContent: true,
    callSecrets,
    redact: (x) => x.replace(/ACME/g, "[CLIENT]"),
  });
  callSecrets.add("call-1", "4111-1111");
  for (const e of fallbackCall()) {
    if (e.type === "call_start")
      e.sections = [
        ...e.sections,
        { name: "context", role: "user", content: "card 4111-1111 key sk-proj-ABCDEFGHIJKLMNOPQRSTUV", stable: false },
      ];
    listen(e);
  }
  const call = exporter.getFinishedSpans().find((s) => s.name.startsWith("invoke_agent"))!;
  const input = String(call.attributes["gen_ai.input.messages"]);
  assert.match(input, /Invoice 42 for \[CLIENT\]/);
  assert.ok(!input.includes("4111-1111") && !input.includes("sk-proj-ABC"), input);
  assert.match(String(call.attributes["gen_ai.system_instructions"]), /Extract the fields/);
  const child = exporter.getFinishedSpans().find((s) => s.name === "chat claude-haiku-4-5")!;
  assert.match(String(child.attributes["gen_ai.output.messages"]), /ok/);
});

test("unknown cost is marked, never 0; a call without call_end is closed as incomplete", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const listen = otelListener({ tracer: provider.getTracer("test"), maxOpenCalls: 1 });
  for (const e of callEvents({ callId: "u1", attempts: [attempt({ id: "u1-a", model: "my-llama", provider: "ollama", costUsd: null })] }))
    listen(e);
  for (const e of callEvents({ callId: "open", end: false })) listen(e);
  for (const e of callEvents({ callId: "next", end: false })) listen(e); // pushes "open" out
  const u = exporter.getFinishedSpans().find((s) => s.attributes["ballast.call_id"] === "u1")!;
  assert.equal(u.attributes["ballast.cost_usd"], undefined);
  assert.equal(u.attributes["ballast.cost_known"], false);
  const incomplete = exporter.getFinishedSpans().filter((s) => s.attributes["error.type"] === "incomplete");
  assert.equal(incomplete.length, 1);
});

type OtlpValue = {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
};
const decode = (v: OtlpValue): unknown =>
  v.arrayValue
    ? (v.arrayValue.values ?? []).map(decode)
    : (v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue)));

test("real OTLP/HTTP export to a loopback receiver carries the same attributes", async () => {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let raw = Buffer.concat(chunks);
      if (req.headers["content-encoding"] === "gzip") raw = gunzipSync(raw);
      assert.equal(req.url, "/v1/traces");
      assert.match(String(req.headers["content-type"]), /json/);
      bodies.push(JSON.parse(raw.toString()));
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  try {
    const port = (server.address() as AddressInfo).port;
    const exporter = new OTLPTraceExporter({ url: `http://127.0.0.1:${port}/v1/traces` });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const listen = otelListener({ tracer: provider.getTracer("test") });
    for (const e of fallbackCall()) listen(e);
    await provider.forceFlush();
    await provider.shutdown();
    type OtlpSpan = {
      name: string;
      spanId: string;
      parentSpanId?: string;
      attributes: Array<{ key: string; value: OtlpValue }>;
      status?: { code?: number };
    };
    const spans = (bodies as Array<{ resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> }>).flatMap((b) =>
      b.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    assert.equal(spans.length, 3);
    const byName = new Map(
      spans.map((s) => [
        s.name,
        {
          attributes: Object.fromEntries(s.attributes.map((a) => [a.key, decode(a.value)])),
          parent: s.parentSpanId || undefined,
          id: s.spanId,
          status: s.status?.code,
        },
      ]),
    );
    assertSpans(byName);
  } finally {
    server.close();
  }
});

test("call_error ends the call span with error.type; client-level breaker moves get their own span", () => {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const listen = otelListener({ tracer: provider.getTracer("test") });
  const failed = attempt({ id: "x1", startedAt: t, outcome: "rate_limited", error: { kind: "rate_limited", message: "429", status: 429 } });
  for (const e of callEvents({ callId: "err", ts: t, attempts: [failed], end: false })) listen(e);
  listen({ type: "breaker", callId: "", ts: t + 1, model: "gpt-4o-mini", from: "closed", to: "open" });
  listen({
    type: "call_error",
    callId: "err",
    ts: t + 200,
    task: "extract",
    error: { kind: "all_attempts_failed", message: "no" },
    attempts: [failed],
    usage: failed.usage,
    costUsd: 0.001,
    latencyMs: 200,
  });
  const spans = exporter.getFinishedSpans();
  const call = spans.find((s) => s.attributes["ballast.call_id"] === "err")!;
  assert.equal(call.attributes["error.type"], "all_attempts_failed");
  assert.equal(call.status.code, SpanStatusCode.ERROR);
  const child = spans.find((s) => s.name === "chat gpt-4o-mini")!;
  assert.equal(child.attributes["error.type"], "rate_limited");
  assert.equal(child.attributes["http.response.status_code"], 429);
  const breaker = spans.find((s) => s.name === "breaker gpt-4o-mini")!;
  assert.equal(breaker.attributes["ballast.breaker.to"], "open");
});

test("through the simulator: each attempt span names the model and response id the provider returned, both providers, streamed too", async () => {
  const { createBallast } = await import("ballast");
  const { openai } = await import("ballast/openai");
  const { anthropic } = await import("ballast/anthropic");
  const { startSimulator } = await import("ballast/testing");
  const { z } = await import("zod");
  const sim = await startSimulator({ seed: 21 });
  try {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const schema = z.object({ label: z.string() });
    for (const model of [
      openai("otel-oa", { baseURL: `${sim.url}/v1`, apiKey: "k" }),
      anthropic("otel-an", { baseURL: sim.url, apiKey: "k" }),
    ]) {
      const llm = createBallast({ models: [model], traces: false, onEvent: otelListener({ tracer: provider.getTracer("t") }) });
      const r = await llm.generate({ schema, input: "x" });
      const s = llm.stream({ schema, input: "y" });
      const streamed = await s.result;
      for (const result of [r, streamed]) {
        const a = result.attempts[0]!;
        assert.equal(a.responseModel, model.modelId);
        assert.match(a.responseId ?? "", model.provider === "openai" ? /^chatcmpl-/ : /^msg_/);
        const span = exporter.getFinishedSpans().find((x) => x.attributes["ballast.attempt.id"] === a.id);
        assert.ok(span, `no span for attempt ${a.id}`);
        assert.equal(span.attributes["gen_ai.response.model"], a.responseModel);
        assert.equal(span.attributes["gen_ai.response.id"], a.responseId);
      }
    }
  } finally {
    await sim.close();
  }
});
