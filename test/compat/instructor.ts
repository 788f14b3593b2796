// @instructor-ai/instructor over the openai SDK, unchanged, in each of its modes.
import assert from "node:assert/strict";
import Instructor from "@instructor-ai/instructor";
import OpenAI from "openai";
// instructor 1.7 is written against zod 3: its schemas come from zod 4's v3 export.
import { z } from "zod/v3";
import type { Scenario } from "./scenario.js";

const Person = z.object({ name: z.string().describe("The person's name"), age: z.number().int().min(0).max(120) });
// JSON_SCHEMA is left out: it sends Anyscale/Together's `response_format: {type: "json_object", schema}`,
// which OpenAI does not read; instructor's own provider table lists it as unsupported for OpenAI.
const MODES = ["TOOLS", "FUNCTIONS", "JSON", "MD_JSON"] as const;

export const scenarios: Scenario[] = [
  {
    client: "@instructor-ai/instructor",
    kind: "structured",
    detail: `modes ${MODES.join(", ")}`,
    run: async (sim) => {
      for (const mode of MODES) {
        const oai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-compat", maxRetries: 0 });
        const client = Instructor({ client: oai, mode });
        const person = await client.chat.completions.create({
          model: "gpt-4o-mini",
          messages: [{ role: "user", content: "Ada is 36." }],
          response_model: { schema: Person, name: "Person" },
          max_retries: 0,
        });
        assert.ok(Person.safeParse(person).success, `${mode}: ${JSON.stringify(person)}`);
      }
    },
  },
  {
    client: "@instructor-ai/instructor",
    kind: "streaming",
    detail: "TOOLS mode, stream: true partials",
    run: async (sim) => {
      const oai = new OpenAI({ baseURL: `${sim.url}/v1`, apiKey: "sk-compat", maxRetries: 0 });
      const client = Instructor({ client: oai, mode: "TOOLS" });
      const stream = await client.chat.completions.create({
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "Ada is 36." }],
        response_model: { schema: Person, name: "Person" },
        stream: true,
      });
      let last: unknown;
      for await (const partial of stream) last = partial;
      assert.ok(Person.safeParse(last).success, JSON.stringify(last));
    },
  },
];
