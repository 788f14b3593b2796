// What the compatibility suite uses of Mastra, loaded from this folder's own node_modules (Mastra 0.24,
// its AI SDK 5 and AI SDK 4 OpenAI providers, zod 3), so the root dependency tree never sees them.
export { Mastra } from "@mastra/core";
export { Agent } from "@mastra/core/agent";
export { MastraError } from "@mastra/core/error";
export { createTool } from "@mastra/core/tools";
export { createOpenAI } from "@ai-sdk/openai";
export { createOpenAI as createOpenAIV1 } from "@ai-sdk/openai-v1";
export { z } from "zod";
