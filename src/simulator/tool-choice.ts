/**
 * Which tools a simulated model calls, protocol-neutral. Like a model: a forced tool is always called; with
 * `auto`, the tools the prompt names (not yet called) are called, in parallel when allowed, else the first
 * tool; after a tool result the model answers unless the prompt names a tool it has not called yet.
 */
import type { JsonSchema } from "../core/index.js";

export interface ToolSpec {
  name: string;
  schema: JsonSchema;
}

export interface ToolDecisionInput {
  tools: ToolSpec[];
  /** auto: the model decides; required: some tool must be called; named: `named` must be called. */
  mode: "auto" | "required" | "named";
  named?: string;
  /** The conversation ends with tool results. */
  afterToolResult: boolean;
  /** Tools the assistant already called in this conversation. */
  called: ReadonlySet<string>;
  /** What the model reads to choose: the system prompt and the last user message. */
  instructions: string;
  parallel: boolean;
}

function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** The tools named in `text`, in the order they are first mentioned. */
export function mentionedTools(tools: ToolSpec[], text: string): ToolSpec[] {
  const plain = squash(text);
  return tools
    .map((tool) => ({ tool, at: plain.indexOf(squash(tool.name)) }))
    .filter((m) => m.at >= 0 && squash(m.tool.name).length > 0)
    .sort((a, b) => a.at - b.at)
    .map((m) => m.tool);
}

/** The calls to make, in order; empty when the model answers instead. */
export function decideToolCalls(input: ToolDecisionInput): ToolSpec[] {
  const { tools } = input;
  if (tools.length === 0) return [];
  if (input.mode === "named") {
    const tool = tools.find((t) => t.name === input.named);
    return tool ? [tool] : [];
  }
  const pending = mentionedTools(tools, input.instructions).filter((t) => !input.called.has(t.name));
  const chosen = pending.length > 0 ? pending : [];
  if (chosen.length === 0) {
    if (input.afterToolResult && input.mode === "auto") return [];
    chosen.push(mentionedTools(tools, input.instructions)[0] ?? (tools[0] as ToolSpec));
  }
  return input.parallel ? chosen : chosen.slice(0, 1);
}
