// Schema edge cases through generate: recursion, transforms, and validators other than zod.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { z } from "zod";
import { ConfigurationError, createBallast, type StandardSchemaV1 } from "ballast";
import { openai } from "ballast/openai";
import { anthropic } from "ballast/anthropic";
import { startSimulator, type Simulator } from "ballast/testing";

let sim: Simulator;
before(async () => {
  sim = await startSimulator({ seed: 4 });
});
after(() => sim.close());

interface Node {
  name: string;
  children: Node[];
}
const Tree: z.ZodType<Node> = z.object({
  name: z.string(),
  get children() {
    return z.array(Tree).max(2);
  },
});

test("a recursive schema is sent with $ref and answered on both providers", async () => {
  const llm = createBallast({
    models: [openai("tree-openai", { baseURL: `${sim.url}/v1`, apiKey: "k" })],
    traces: false,
  });
  const r = await llm.generate({ schema: Tree, input: "a family tree" });
  assert.equal(Tree.safeParse(r.value).success, true);
  const body = sim.requests.at(-1)!.body as Record<string, any>;
  assert.equal(body.response_format.json_schema.schema.properties.children.items.$ref, "#");

  const claude = createBallast({ models: [anthropic("tree-claude", { baseURL: sim.url, apiKey: "k" })], traces: false });
  const c = await claude.generate({ schema: Tree, input: "a family tree" });
  assert.equal(Tree.safeParse(c.value).success, true);
});

test("a field the model writes before a transform is sent on its input side; a bare transform is refused by name", async () => {
  const WithTransform = z.object({ when: z.string().transform((s) => s.length) });
  const llm = createBallast({ models: [openai("transform", { baseURL: `${sim.url}/v1`, apiKey: "k" })], traces: false });
  const r = await llm.generate({ schema: WithTransform, input: "x" });
  assert.equal(typeof r.value.when, "number");
  const Bare = z.object({ n: z.transform((v) => String(v)) });
  assert.throws(
    () => llm.task({ name: "bare", schema: Bare }),
    (e: unknown) => e instanceof ConfigurationError && /\bn\b.*transform/.test(e.message),
  );
});

test("any Standard Schema validator with a JSON Schema form works, not only zod", async () => {
  type Point = { x: number; y: number };
  const Point: StandardSchemaV1<unknown, Point> = {
    "~standard": {
      version: 1,
      vendor: "hand-written",
      validate(value) {
        const v = value as Partial<Point>;
        return typeof v?.x === "number" && typeof v?.y === "number"
          ? { value: { x: v.x, y: v.y } }
          : { issues: [{ message: "x and y must be numbers", path: ["x"] }] };
      },
      jsonSchema: { input: () => ({ type: "object", properties: { x: { type: "number" }, y: { type: "number" } }, required: ["x", "y"] }) },
    },
  };
  const llm = createBallast({ models: [openai("point", { baseURL: `${sim.url}/v1`, apiKey: "k" })], traces: false });
  const r = await llm.generate({ schema: Point, input: "a point" });
  assert.equal(typeof r.value.x, "number");
  const NoJson: StandardSchemaV1<unknown, Point> = {
    "~standard": { version: 1, vendor: "opaque", validate: (v) => ({ value: v as Point }) },
  };
  assert.throws(
    () => llm.task({ name: "opaque", schema: NoJson }),
    (e: unknown) => e instanceof ConfigurationError && /opaque/.test(e.message),
  );
});

test("nulls a strict provider puts in optional fields are dropped before validation, at any depth; required ones are kept", async () => {
  const Order = z.object({
    id: z.string(),
    note: z.string().optional(),
    lines: z.array(z.object({ sku: z.string(), gift: z.boolean().optional(), discount: z.number().nullable() })),
  });
  sim.script("nulls-optional", [{ json: { id: "A1", note: null, lines: [{ sku: "x", gift: null, discount: null }] } }]);
  const llm = createBallast({ models: [openai("nulls-optional", { baseURL: `${sim.url}/v1`, apiKey: "k" })], traces: false, reasks: 0 });
  const r = await llm.generate({ schema: Order, input: "an order" });
  assert.equal(r.source, "model");
  assert.deepEqual(r.value, { id: "A1", lines: [{ sku: "x", discount: null }] });

  // Every field required: nothing to drop, and a null where none is allowed is still an invalid reply.
  const Strict = z.object({ id: z.string(), qty: z.number() });
  sim.script("nulls-required", [{ json: { id: "B2", qty: null } }]);
  const strict = createBallast({ models: [openai("nulls-required", { baseURL: `${sim.url}/v1`, apiKey: "k" })], traces: false, reasks: 0 });
  await assert.rejects(strict.generate({ schema: Strict, input: "x" }), (err: Error) => err.name === "AllAttemptsFailedError");
});

test("modes that do not enforce the schema describe it in the system prompt; the enforcing modes do not", async () => {
  const Label = z.object({ label: z.enum(["a", "b"]) });
  const describes = (system: string | undefined) => (system ?? "").includes("conforms to this JSON Schema");
  for (const mode of ["json_object", "prompt", "json_schema", "tool"] as const) {
    // What the model writes without an enforced schema is not the point here: the request is.
    const llm = createBallast({
      models: [openai(`modes-${mode}`, { baseURL: `${sim.url}/v1`, apiKey: "k", mode })],
      traces: false,
      reasks: 0,
    });
    await llm.generate({ schema: Label, instructions: "Label it.", input: "x", fallback: { label: "a" } });
    const body = sim.requests.at(-1)!.body as { messages: Array<{ role: string; content: string }>; response_format?: { type: string } };
    const system = body.messages.find((m) => m.role === "system")?.content;
    assert.equal(describes(system), mode === "json_object" || mode === "prompt", mode);
    assert.ok(system?.startsWith("Label it."), "instructions stay first: the schema section is stable and joins the prefix after them");
    if (mode === "json_object") assert.equal(body.response_format?.type, "json_object");
  }
  for (const mode of ["prompt", "tool"] as const) {
    const llm = createBallast({
      models: [anthropic(`modes-claude-${mode}`, { baseURL: sim.url, apiKey: "k", mode })],
      traces: false,
      reasks: 0,
    });
    await llm.generate({ schema: Label, instructions: "Label it.", input: "x", fallback: { label: "a" } });
    const body = sim.requests.at(-1)!.body as { system?: Array<{ text: string }>; tools?: unknown[] };
    assert.equal(describes(body.system?.map((b) => b.text).join("\n")), mode === "prompt", `anthropic ${mode}`);
    assert.equal(body.tools !== undefined, mode === "tool", `anthropic ${mode}`);
  }
});
