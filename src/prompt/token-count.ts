/**
 * Token counts for estimates: exact with gpt-tokenizer's o200k encoding (a maintained port of OpenAI's
 * tokenizer, an optional peer of ~30 MB) once it is loaded, the ~4 characters per token rule until then or
 * without it. Loading costs ~1 s of CPU and ~20 MB of heap, so only features that guard dollars or plan
 * rate limits load it (a client with a budget, batch estimates).
 */
import { estimateTokens } from "./cache-layout.js";

type Counter = (text: string, options: { disallowedSpecial: Set<string> }) => number;
let exact: Counter | null = null;
let loading: Promise<boolean> | null = null;
/** A `<|im_start|>` in a prompt is text, not a control token (gpt-tokenizer throws on special tokens by default). */
const PLAIN = { disallowedSpecial: new Set<string>() };

/** Starts loading the exact counter once per process; resolves whether it is available. */
export function loadExactTokenCounts(): Promise<boolean> {
  loading ??= import("gpt-tokenizer/encoding/o200k_base").then(
    (m) => {
      exact = m.countTokens;
      return true;
    },
    () => false, // not installed: the heuristic stays
  );
  return loading;
}

/** Tokens in `text`: exact once the tokenizer is loaded, else estimated. */
export function countTokens(text: string): number {
  if (!text) return 0;
  return exact ? exact(text, PLAIN) : estimateTokens(text);
}

/** Whether counts are exact (the tokenizer is loaded). */
export function exactTokenCounts(): boolean {
  return exact !== null;
}
