/**
 * Assembles a call's prompt from named sections in a fixed order: stable first (instructions, examples),
 * volatile last (the input), so the provider's prefix cache stays warm across calls of a task. Stable
 * sections are rendered byte-exactly: key-sorted JSON and normalised whitespace (`normalizeStableText`).
 */
import type { PromptSection } from "../core/index.js";
import { normalizeStableText } from "./cache-layout.js";
import { stableJson } from "./stable-json.js";

export interface Example {
  input: unknown;
  output: unknown;
}

export interface PromptParts {
  instructions?: string;
  examples?: readonly Example[];
  /** Extra sections supplied by the caller; kept in order within their stability class. */
  sections?: readonly PromptSection[];
  input: unknown;
}

/** Strings pass through; anything else is rendered as key-sorted JSON. */
export function renderValue(value: unknown): string {
  return typeof value === "string" ? value : stableJson(value, 2);
}

export function renderExamples(examples: readonly Example[]): string {
  return examples.map((e, i) => `Example ${i + 1}\nInput:\n${renderValue(e.input)}\nOutput:\n${stableJson(e.output)}`).join("\n\n");
}

/**
 * The call's sections in wire order: stable system, volatile system, stable user, volatile user (caller
 * order kept within each class). Stable sections are whitespace-normalised so equal templates give equal bytes.
 */
export function buildPrompt(parts: PromptParts): PromptSection[] {
  const out: PromptSection[] = [];
  if (parts.instructions)
    out.push({ name: "instructions", role: "system", stable: true, content: normalizeStableText(parts.instructions) });
  if (parts.examples?.length)
    out.push({ name: "examples", role: "system", stable: true, content: normalizeStableText(renderExamples(parts.examples)) });
  const extra = parts.sections ?? [];
  out.push(...extra.filter((s) => s.stable).map((s) => ({ ...s, content: normalizeStableText(s.content) })));
  out.push(...extra.filter((s) => !s.stable));
  out.push({ name: "input", role: "user", stable: false, content: renderValue(parts.input) });
  // stable before volatile within each role, system before user
  return [
    ...out.filter((s) => s.role === "system" && s.stable),
    ...out.filter((s) => s.role === "system" && !s.stable),
    ...out.filter((s) => s.role === "user" && s.stable),
    ...out.filter((s) => s.role === "user" && !s.stable),
  ];
}
