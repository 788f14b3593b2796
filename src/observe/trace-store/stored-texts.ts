/**
 * The texts the trace writer stores, as they are stored: redacted (in full mode; nothing in metadata mode), the
 * prompt as JSON with its long stable sections kept once in `texts` by hash, error lists and the cascade's model
 * list as JSON. Small caches spare the work a run of similar calls would repeat.
 */
import { createHash } from "node:crypto";
import type { BallastEvent } from "../../core/index.js";
import { type Redactor, redactText } from "../redact.js";

type PromptSection = Extract<BallastEvent, { type: "call_start" }>["sections"][number];
/** An error as events carry it: an attempt's, or the call's own. */
export type StoredError = { kind: string; status?: number; message: string } | undefined;

/** Stable sections shorter than this are stored inline: a reference would save little. */
const DEDUPE_MIN = 200;
/** Raw stable texts remembered with their hash; the map is cleared when it reaches this size. */
const STABLE_REFS_MAX = 512;

export interface StoredTextsOptions {
  content: "full" | "metadata";
  redact?: Redactor;
  /** Writes one stable section's redacted text under its hash (ignored when the hash is already stored). */
  saveText: (hash: string, content: string) => void;
}

/** The texts of one call, redacted with that call's secrets. */
export interface CallTexts {
  /** Redacted text in full mode; null in metadata mode or when there is none. */
  text(t: string | null | undefined): string | null;
  /** A value as redacted JSON text in full mode ("null" for undefined); null in metadata mode. */
  json(value: unknown): string | null;
  /** The prompt as stored: JSON [{name, role, stable, content | ref}]; null in metadata mode. */
  prompt(sections: readonly PromptSection[]): string | null;
  /** JSON [{kind, status?, message?}] (messages only in full mode); "[]" when there are none. */
  errors(errors: readonly StoredError[]): string;
  /** The cascade's model names as JSON. */
  models(models: readonly string[]): string;
}

export interface StoredTexts {
  readonly full: boolean;
  /** The texts of the call whose secrets these are. */
  of(secrets: readonly string[]): CallTexts;
  /** Forgets which stable sections are stored (after a rollback or a retention pass may have removed some). */
  reset(): void;
}

const EMPTY = "[]";

export function createStoredTexts(options: StoredTextsOptions): StoredTexts {
  const full = options.content === "full";
  const hook = options.redact;
  // The last text redacted, and for which secrets (a registry only appends to a call's list): a call's value is
  // often its response text, verbatim.
  let lastIn = "";
  let lastSecrets: readonly string[] = [];
  let lastCount = 0;
  let lastOut = "";
  const text = (secrets: readonly string[], t: string | null | undefined): string | null => {
    if (!full || t == null) return null;
    if (t === lastIn && secrets === lastSecrets && secrets.length === lastCount) return lastOut;
    lastOut = redactText(t, secrets, hook);
    lastIn = t;
    lastSecrets = secrets;
    lastCount = secrets.length;
    return lastOut;
  };

  // Stable sections: raw text -> its redacted text's hash, written once to `texts`. Bypassed when one of the
  // call's secrets occurs in the section (then it is redacted and stored inline for that call).
  const stableRefs = new Map<string, string>();
  const writtenRefs = new Set<string>();
  const refOf = (content: string): string => {
    let ref = stableRefs.get(content);
    if (ref === undefined) {
      const redacted = redactText(content, [], hook);
      ref = createHash("sha256").update(redacted).digest("base64url").slice(0, 22);
      if (stableRefs.size >= STABLE_REFS_MAX) stableRefs.clear();
      stableRefs.set(content, ref);
      if (!writtenRefs.has(ref)) options.saveText(ref, redacted);
    } else if (!writtenRefs.has(ref)) {
      options.saveText(ref, redactText(content, [], hook));
    }
    writtenRefs.add(ref);
    return ref;
  };
  /** Built as a string: no object per section. */
  const prompt = (secrets: readonly string[], sections: readonly PromptSection[]): string | null => {
    if (!full) return null;
    let out = "[";
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i]!;
      const content = section.content;
      out += `${i === 0 ? "" : ","}{"name":${JSON.stringify(section.name)},"role":${JSON.stringify(section.role)},"stable":${section.stable === true}`;
      if (!section.stable || content.length < DEDUPE_MIN || secrets.some((x) => x.length >= 4 && content.includes(x))) {
        out += `,"content":${JSON.stringify(text(secrets, content))}}`;
      } else out += `,"ref":"${refOf(content)}"}`;
    }
    return `${out}]`;
  };

  const errors = (secrets: readonly string[], list: readonly StoredError[]): string => {
    if (list.length === 0) return EMPTY;
    const out = [];
    for (const err of list)
      if (err) out.push({ kind: err.kind, status: err.status, message: full ? text(secrets, err.message) : undefined });
    return JSON.stringify(out);
  };

  // A client's calls list the same cascade: its JSON is kept for the next call.
  let lastModels: readonly string[] = [];
  let lastModelsJson = EMPTY;
  const models = (list: readonly string[]): string => {
    if (list.length !== lastModels.length || list.some((m, i) => m !== lastModels[i])) {
      lastModels = list.slice();
      lastModelsJson = JSON.stringify(list);
    }
    return lastModelsJson;
  };

  class BoundTexts implements CallTexts {
    constructor(private readonly secrets: readonly string[]) {}
    text(t: string | null | undefined): string | null {
      return text(this.secrets, t);
    }
    json(value: unknown): string | null {
      return full ? text(this.secrets, JSON.stringify(value) ?? "null") : null;
    }
    prompt(sections: readonly PromptSection[]): string | null {
      return prompt(this.secrets, sections);
    }
    errors(list: readonly StoredError[]): string {
      return errors(this.secrets, list);
    }
    models(list: readonly string[]): string {
      return models(list);
    }
  }

  return {
    full,
    of: (secrets) => new BoundTexts(secrets),
    reset: () => writtenRefs.clear(),
  };
}
