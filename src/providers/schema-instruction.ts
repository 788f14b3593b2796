/**
 * For modes where the provider does not enforce the schema (JSON mode, prompt-only), the schema is
 * described in a stable system section so the model knows the shape it must write.
 */
import type { OutputSpec, PromptSection } from "../core/index.js";

export function schemaSection(output: OutputSpec): PromptSection {
  return {
    name: "schema",
    role: "system",
    stable: true,
    content: "Reply with only a JSON value (no prose, no code fences) that conforms to this JSON Schema:\n" + JSON.stringify(output.schema),
  };
}

/** Sections in wire order: stable system, volatile system, then the user turn's stable and volatile parts. */
export function splitSections(sections: PromptSection[]): { system: PromptSection[]; user: PromptSection[] } {
  return {
    system: sections.filter((s) => s.role === "system"),
    user: sections.filter((s) => s.role === "user"),
  };
}
