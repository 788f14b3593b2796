/** What the client does with private context after a win: the leak check, and the private block kept out of events. */
import { createHash } from "node:crypto";
import { classifyReveal, detectLeak, profilePrivateContent, type PreparedPrivateContext } from "../guard/index.js";
import type { PromptSection, PrivateContextReport } from "../core/index.js";

export function assessReveal(prepared: PreparedPrivateContext, value: unknown, modelFlag: boolean): PrivateContextReport {
  const detected = detectLeak(value, profilePrivateContent(prepared.content, prepared.canary));
  return classifyReveal(prepared.secretSupplied, modelFlag, detected);
}

/**
 * Listeners (traces, OpenTelemetry, `onEvent`) see the private-context block as its length and a hash of its
 * content: enough to tell two contexts apart or confirm one, nothing to read.
 */
export function digestPrivateSections(sections: PromptSection[], content: string): PromptSection[] {
  const hash = createHash("sha256").update(content).digest("hex").slice(0, 16);
  const digest = `<private_context secret="[REDACTED]">\n[private context withheld: ${content.length} characters, sha256 ${hash}]\n</private_context>`;
  return sections.map((s) => (s.name === "private_context" ? { ...s, content: digest } : s));
}
