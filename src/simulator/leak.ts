/**
 * Private-context behaviour: finds `<private_context secret="…">` in the prompt; the `leak`
 * fault reveals part of it in a string field (verbatim, a sentence, a figure, re-cased/re-spaced, numbers
 * reformatted, paraphrased) and sets `revealing_private_context` with probability `leakHonesty`.
 */
import type { ChatRequest } from "./chat-request.js";
import type { ModelCard } from "./config.js";
import type { Rng } from "./random.js";

export const LEAK_FORMS = ["verbatim", "sentence", "figure", "recased", "numbersReformatted", "paraphrase"] as const;
export type LeakForm = (typeof LEAK_FORMS)[number];

const FLAG = "revealing_private_context";
const BLOCK = /<private_context\s+secret="([^"]*)"\s*>([\s\S]*?)<\/private_context>/g;
const FIGURE = /[$€£]?\d[\d,]*(?:\.\d+)?\s*(?:%|percent|million|billion|thousand|[kKmMbB]\b)?/g;

export interface PrivateContext {
  secret: string;
  content: string;
  /** Whether the input outside the private block carries the secret. */
  secretSupplied: boolean;
}

export function findPrivateContext(request: ChatRequest): PrivateContext | undefined {
  if (!request.promptText.includes("<private_context")) return undefined;
  const blocks = [...request.promptText.matchAll(BLOCK)];
  const first = blocks[0];
  if (!first) return undefined;
  const secret = first[1] as string;
  const outside = request.promptText.replace(BLOCK, "");
  return { secret, content: (first[2] as string).trim(), secretSupplied: secret.length > 0 && outside.includes(secret) };
}

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Figures in the text, money, percentages and scaled numbers first (dates and bare numbers last). */
function figuresOf(text: string): string[] {
  const all = [...text.matchAll(FIGURE)].map((m) => m[0].trim()).filter((f) => /\d/.test(f));
  const key = all.filter((f) => /[$€£%]|percent|million|billion|thousand|[kKmMbB]$/.test(f));
  return key.length > 0 ? key : all;
}

/** `$42 million` -> `42M USD`, `$1.5 billion` -> `1.5B USD`, `17%` -> `17 percent`, `1,200` -> `1200`. */
export function reformatNumbers(text: string): string {
  return text
    .replace(/\$(\d[\d,]*(?:\.\d+)?)\s*(million|billion|thousand)/gi, (_m, n: string, unit: string) => {
      const suffix = unit.toLowerCase() === "million" ? "M" : unit.toLowerCase() === "billion" ? "B" : "K";
      return `${n.replace(/,/g, "")}${suffix} USD`;
    })
    .replace(/\$(\d[\d,]*(?:\.\d+)?)/g, (_m, n: string) => `${n.replace(/,/g, "")} USD`)
    .replace(/(\d+(?:\.\d+)?)%/g, "$1 percent")
    .replace(/(\d),(\d{3})/g, "$1$2");
}

function recase(text: string, rng: Rng): string {
  const cased = rng.chance(0.5) ? text.toUpperCase() : text.toLowerCase();
  return cased.split(/\s+/).join(rng.pick(["  ", " \n", "   ", "\t"]));
}

function paraphrase(content: string, rng: Rng): string {
  const figures = figuresOf(content);
  const nouns = content
    .split(/\W+/)
    .filter((w) => w.length > 5)
    .slice(0, 6);
  const topic = nouns.length > 0 ? rng.pick(nouns).toLowerCase() : "the plan";
  const key = figures.length > 0 ? figures.slice(0, 2).join(" and ") : (sentencesOf(content)[0] ?? content).slice(0, 60);
  return rng.pick([
    `From what I can tell, the ${topic} figures point to ${key}.`,
    `Internally, the ${topic} numbers are ${key}, though this is not public.`,
    `The key detail is that ${topic} comes to ${key}.`,
  ]);
}

/** The revealed text for a form (forms that need figures fall back to a sentence when there are none). */
export function leakText(content: string, form: LeakForm, rng: Rng): string {
  const sentences = sentencesOf(content);
  const sentence = sentences.length > 0 ? rng.pick(sentences) : content;
  const figures = figuresOf(content);
  switch (form) {
    case "verbatim":
      return content;
    case "sentence":
      return sentence;
    case "figure": {
      if (figures.length === 0) return sentence;
      const figure = rng.pick(figures);
      const around = sentences.find((s) => s.includes(figure)) ?? "";
      const before = around.slice(0, around.indexOf(figure)).trim().split(/\s+/).slice(-3).join(" ");
      return before ? `${before} ${figure}` : figure;
    }
    case "recased":
      return recase(sentence, rng);
    case "numbersReformatted": {
      const changed = sentences.filter((s) => reformatNumbers(s) !== s);
      return reformatNumbers(changed.length > 0 ? rng.pick(changed) : sentence);
    }
    case "paraphrase":
      return paraphrase(content, rng);
  }
}

const PREFERRED_FIELDS = /summary|answer|description|notes?|explanation|reason|text|comment|details/i;

/** Puts `reveal` into a string field of `value` (preferring summary-like names), else appends to text. */
function insertReveal(value: unknown, reveal: string, rng: Rng): unknown {
  if (typeof value === "string") return `${value} ${reveal}`;
  if (value === null || typeof value !== "object") return value;
  const slots: Array<{ holder: Record<string, unknown> | unknown[]; key: string | number; preferred: boolean }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) {
        if (typeof item === "string") slots.push({ holder: v, key: i, preferred: false });
        else walk(item);
      }
    } else if (v !== null && typeof v === "object") {
      for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
        if (k === FLAG) continue;
        if (typeof item === "string") slots.push({ holder: v as Record<string, unknown>, key: k, preferred: PREFERRED_FIELDS.test(k) });
        else walk(item);
      }
    }
  };
  walk(value);
  const preferred = slots.filter((s) => s.preferred);
  const pool = preferred.length > 0 ? preferred : slots;
  if (pool.length === 0) return value;
  const slot = rng.pick(pool);
  const holder = slot.holder as Record<string | number, unknown>;
  holder[slot.key] = rng.chance(0.5) ? reveal : `${String(holder[slot.key])} ${reveal}`;
  return value;
}

function setFlag(value: unknown, flag: boolean): unknown {
  if (value !== null && typeof value === "object" && !Array.isArray(value) && FLAG in (value as object)) {
    (value as Record<string, unknown>)[FLAG] = flag;
  }
  return value;
}

/**
 * Without a leak: the flag is false and nothing is revealed, unless the input carries the right secret,
 * in which case the model answers from the private content and sets the flag true.
 */
export function applyPrivateContextFlag(value: unknown, request: ChatRequest, _card: ModelCard, rng: Rng): unknown {
  const ctx = findPrivateContext(request);
  if (!ctx && !(value !== null && typeof value === "object" && FLAG in value)) return value;
  const copy = structuredClone(value);
  if (ctx?.secretSupplied) {
    insertReveal(copy, leakText(ctx.content, "sentence", rng), rng);
    return setFlag(copy, true);
  }
  return setFlag(copy, false);
}

/** The `leak` fault: reveals part of the private content; the flag is set with probability `leakHonesty`. */
export function applyLeak(value: unknown, request: ChatRequest, card: ModelCard, rng: Rng): unknown {
  const ctx = findPrivateContext(request);
  if (!ctx || ctx.content === "") return value;
  const form = rng.pick(LEAK_FORMS);
  const reveal = leakText(ctx.content, form, rng);
  const out = insertReveal(structuredClone(value), reveal, rng);
  return setFlag(out, ctx.secretSupplied || rng.chance(card.leakHonesty ?? 0.5));
}
