/** What the client does with private context after a win: the leak check, and the secret kept out of events. */
import { classifyReveal } from "../guard/classify-reveal.js";
import { detectLeak, profilePrivateContent } from "../guard/leak-detector.js";
import type { PreparedPrivateContext } from "../guard/private-context.js";
import type { PromptSection } from "../providers/types.js";
import type { PrivateContextReport } from "./types.js";

export function assessReveal(prepared: PreparedPrivateContext, value: unknown, modelFlag: boolean): PrivateContextReport {
  const detected = detectLeak(value, profilePrivateContent(prepared.content, prepared.canary));
  return classifyReveal(prepared.secretSupplied, modelFlag, detected);
}

/** Listeners see the prompt with the private-context secret blanked out. */
export function redactSections(sections: PromptSection[], secret: string): PromptSection[] {
  return sections.map((s) => (s.content.includes(secret) ? { ...s, content: s.content.split(secret).join("[REDACTED]") } : s));
}
