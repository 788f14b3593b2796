/**
 * For modes where the provider does not enforce the schema (JSON mode, prompt-only), the schema is
 * described in a stable system section so the model knows the shape it must write; and the prompt joined
 * into one system and one user text, the shape the OpenAI-style bodies send.
 */
import type { ModelRequest, OutputMode, OutputSpec, PromptSection } from "../core/index.js";
import { wireOrder } from "../prompt/index.js";

export function schemaSection(output: OutputSpec): PromptSection {
  return {
    name: "schema",
    role: "system",
    stable: true,
    content: "Reply with only a JSON value (no prose, no code fences) that conforms to this JSON Schema:\n" + JSON.stringify(output.schema),
  };
}

/**
 * The request's sections, in wire order, joined into one system and one user text (blank line between
 * sections); in JSON and prompt-only modes the schema section is among them.
 */
export function joinedPrompt(request: ModelRequest, mode: OutputMode): { system: string; user: string } {
  const described = request.output && (mode === "json_object" || mode === "prompt");
  const sections = described ? [...request.sections, schemaSection(request.output!)] : request.sections;
  let system = "";
  let user = "";
  for (const s of wireOrder(sections)) {
    if (s.role === "system") system = system ? `${system}\n\n${s.content}` : s.content;
    else user = user ? `${user}\n\n${s.content}` : s.content;
  }
  return { system, user };
}
