/**
 * Builds the Messages API body: system blocks, the user turn, a forced tool for structured output, and
 * `cache_control` breakpoints after the last stable block of each part (at most 4, as the API allows).
 */
import type { ModelRequest, OutputMode, PromptSection, Usage } from "../types.js";

type Block = { type: "text"; text: string; cache_control?: { type: "ephemeral"; ttl?: "5m" | "1h" } };

function blocks(sections: PromptSection[], breakpoint: boolean, ttl: "5m" | "1h" | undefined): Block[] {
  const out: Block[] = sections.map((s) => ({ type: "text", text: s.content }));
  if (breakpoint) {
    let lastStable = -1;
    sections.forEach((s, i) => {
      if (s.stable) lastStable = i;
    });
    const target = out[lastStable];
    if (target) target.cache_control = ttl === "1h" ? { type: "ephemeral", ttl } : { type: "ephemeral" };
  }
  return out;
}

export function buildMessagesBody(model: string, request: ModelRequest, mode: OutputMode, maxTokens: number): Record<string, unknown> {
  const cache = request.cache?.breakpoints !== "none";
  const ttl = request.cache?.ttl;
  const system = blocks(request.sections.filter((s) => s.role === "system"), cache, ttl);
  const user = blocks(request.sections.filter((s) => s.role === "user"), cache, ttl);
  const messages: Array<{ role: string; content: string | Block[] }> = [{ role: "user", content: user.length ? user : [{ type: "text", text: "" }] }];
  for (const turn of request.followUp ?? []) messages.push({ role: turn.role, content: turn.content });

  const { sampling, output } = request;
  const body: Record<string, unknown> = { model, max_tokens: sampling.maxOutputTokens ?? maxTokens, messages };
  if (system.length) body.system = system;
  if (sampling.temperature !== undefined) body.temperature = sampling.temperature;
  if (sampling.topP !== undefined) body.top_p = sampling.topP;
  if (output && mode === "tool") {
    body.tools = [{ name: output.name, description: output.description ?? "Return the answer in this exact shape", input_schema: output.schema }];
    body.tool_choice = { type: "tool", name: output.name };
  }
  return body;
}

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

/** Anthropic's input_tokens excludes cache reads and writes; Ballast's inputTokens includes them. */
export function toUsage(usage: AnthropicUsage | null | undefined): Usage {
  const read = usage?.cache_read_input_tokens ?? 0;
  const write = usage?.cache_creation_input_tokens ?? 0;
  return {
    inputTokens: (usage?.input_tokens ?? 0) + read + write,
    outputTokens: usage?.output_tokens ?? 0,
    cachedInputTokens: read,
    cacheWriteTokens: write,
    reasoningTokens: 0,
  };
}
