// Every compatibility scenario, by client. Add a client by adding its file here.
import { scenarios as aiSdk } from "./ai-sdk.js";
import { scenarios as anthropicSdk } from "./anthropic-sdk.js";
import { scenarios as instructor } from "./instructor.js";
import { scenarios as langchain } from "./langchain.js";
import { scenarios as mastra } from "./mastra.js";
import { scenarios as openaiResponses } from "./openai-responses.js";
import { scenarios as openaiSdk } from "./openai-sdk.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: Scenario[] = [...openaiSdk, ...openaiResponses, ...anthropicSdk, ...aiSdk, ...langchain, ...instructor, ...mastra];

/** Clients the suite does not drive, and why (shown under the table). */
export const NOT_COVERED: Array<{ client: string; reason: string }> = [
  {
    client: "@instructor-ai/instructor JSON_SCHEMA mode",
    reason:
      "sends Anyscale/Together's `response_format.schema`, which OpenAI ignores; instructor's own table marks it unsupported for OpenAI",
  },
];
