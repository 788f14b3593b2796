// Every compatibility scenario, by client. Add a client by adding its file here.
import { scenarios as aiSdk } from "./ai-sdk.js";
import { scenarios as anthropicSdk } from "./anthropic-sdk.js";
import { scenarios as instructor } from "./instructor.js";
import { scenarios as langchain } from "./langchain.js";
import { scenarios as openaiResponses } from "./openai-responses.js";
import { scenarios as openaiSdk } from "./openai-sdk.js";
import type { Scenario } from "./scenario.js";

export const SCENARIOS: Scenario[] = [...openaiSdk, ...openaiResponses, ...anthropicSdk, ...aiSdk, ...langchain, ...instructor];

/** Clients the suite does not drive, and why (shown under the table). */
export const NOT_COVERED: Array<{ client: string; reason: string }> = [
  {
    client: "@mastra/core",
    reason:
      "not installed. Its 1.x line needs Node >= 22.13; the last line for Node 20, 0.24 (0.24.9), does not install cleanly beside " +
      "zod 4 and ai 6: a dry run of `npm install -D @mastra/core@0.24.9` adds 407 packages and overrides peers it cannot meet (its own " +
      "ai 4.3 and @ai-sdk/provider-utils 2.2 want zod ^3, its OpenRouter provider wants ai ^5 and gets its ai 4). Its default " +
      "OpenAI model uses the Responses API, which the openai, AI SDK and LangChain Responses rows cover",
  },
  {
    client: "@instructor-ai/instructor JSON_SCHEMA mode",
    reason:
      "sends Anyscale/Together's `response_format.schema`, which OpenAI ignores; instructor's own table marks it unsupported for OpenAI",
  },
];
