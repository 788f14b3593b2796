/**
 * The one redactor of a client. It knows every secret a call can expose (the call's private-context secret and
 * content, the user's `redact.secrets`, the API keys of the models it calls) in every form the secret takes on its way out (raw, XML-escaped as in a
 * prompt attribute, JSON-escaped once or twice as in stored JSON), plus the credential patterns and the user's
 * own. The client applies it to every event before any listener sees it and to every error before it is
 * thrown, so the trace store, OpenTelemetry, `onEvent` and the caller never receive a secret: redaction holds by
 * construction, whatever a sink does later and however many calls are in flight.
 */
import type { AttemptRecord, BallastEvent, LanguageModel } from "../core/index.js";
import { globalPatterns, REDACTED, redactCredentials, redactPatterns } from "./redact.js";

/** The client's `redact` option. */
export interface RedactOptions {
  /** Strings never to let out of the process (API keys of your own services, customer ids…); 4 characters or more. */
  secrets?: readonly string[];
  /** Your own patterns; each match is replaced by `[REDACTED]` (the `g` flag is added when missing). */
  patterns?: readonly RegExp[];
  /**
   * What listeners (traces, OpenTelemetry, `onEvent`) see of a call's private context: `"digest"` (default)
   * keeps its length and a SHA-256 prefix, and the text is also redacted wherever a reply or an error repeats it
   * verbatim; `"keep"` keeps the text (its secret is redacted either way).
   */
  privateContext?: "digest" | "keep";
}

/** Secrets shorter than this are ignored: they would match ordinary text. */
export const MIN_SECRET_LENGTH = 4;

const jsonEscape = (s: string): string => JSON.stringify(s).slice(1, -1);

/** The XML escapings a secret can get: `& " <` (an attribute, as the prompt builder writes it), plus `>`, plus `'` either way. */
function xmlForms(s: string): string[] {
  const core = s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
  const withGt = core.replace(/>/g, "&gt;");
  return [core, withGt, withGt.replace(/'/g, "&#39;"), withGt.replace(/'/g, "&apos;"), core.replace(/'/g, "&#39;")];
}

/**
 * Every form a secret can take in text that leaves: raw, XML-escaped (each dialect), and each of those
 * JSON-escaped once and twice (a prompt stored as JSON, a JSON string inside a JSON attribute). Longest first, so
 * a longer form is replaced before a shorter one that it contains.
 */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>();
  for (const base of [secret, ...xmlForms(secret)]) {
    const once = jsonEscape(base);
    forms.add(base).add(once).add(jsonEscape(once));
  }
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
}

/** Redaction for one call: its secrets' forms, the user's patterns, then the credential patterns. */
export interface CallRedaction {
  /** True when the call has secrets or the user gave patterns: events and values need a walk. */
  readonly active: boolean;
  text(text: string): string;
  /** The value with every string (and key) redacted; the same object when nothing changed. */
  value<T>(value: T): T;
  attempts(attempts: readonly AttemptRecord[]): AttemptRecord[];
  /** The event as listeners may see it (a copy when something changed). */
  event(event: BallastEvent): BallastEvent;
  /** Redacts the error in place (message, stack, attempts, body, issues, causes) and returns it. */
  error<E>(error: E): E;
}

export interface ClientRedactor {
  readonly privateContext: "digest" | "keep";
  /** The redaction of a call with these secrets of its own (none: the client's secrets only). */
  forCall(secrets?: readonly string[]): CallRedaction;
  /**
   * Adds the credentials of these models (`LanguageModel.credentials`, read once per model) to the client's
   * secrets, for every call from now on. Cheap for models it has seen: call it before each call's `forCall`.
   */
  knowModels(models: readonly LanguageModel[]): void;
}

/** Checks the `redact` option (a ConfigurationError is thrown by the caller from the message). */
export function redactOptionProblem(o: unknown): string | null {
  if (o === undefined) return null;
  if (o === null || typeof o !== "object") return "redact must be an object { secrets?, patterns?, privateContext? }";
  const r = o as RedactOptions;
  if (r.secrets !== undefined && !(Array.isArray(r.secrets) && r.secrets.every((s) => typeof s === "string")))
    return "redact.secrets must be an array of strings";
  if (r.secrets?.some((s) => s.length < MIN_SECRET_LENGTH))
    return `redact.secrets: each secret must have at least ${MIN_SECRET_LENGTH} characters`;
  if (r.patterns !== undefined && !(Array.isArray(r.patterns) && r.patterns.every((p) => p instanceof RegExp)))
    return "redact.patterns must be an array of RegExp";
  if (r.patterns?.some((p) => p.test("")))
    return "redact.patterns: a pattern matches the empty string (it would redact between every character)";
  if (r.privateContext !== undefined && r.privateContext !== "digest" && r.privateContext !== "keep")
    return `redact.privateContext must be "digest" or "keep", got ${String(r.privateContext)}`;
  return null;
}

export function createRedactor(options: RedactOptions = {}): ClientRedactor {
  const patterns = globalPatterns(options.patterns ?? []);
  const clientSecrets = new Set(options.secrets ?? []);
  let clientForms = [...clientSecrets].flatMap(secretForms);
  let plain = makeCallRedaction(clientForms, patterns);
  const seen = new WeakSet<LanguageModel>();
  return {
    privateContext: options.privateContext ?? "digest",
    knowModels(models) {
      let added = false;
      for (const model of models) {
        if (seen.has(model)) continue;
        seen.add(model);
        for (const key of model.credentials?.() ?? []) {
          if (typeof key !== "string" || key.length < MIN_SECRET_LENGTH || clientSecrets.has(key)) continue;
          clientSecrets.add(key);
          added = true;
        }
      }
      if (!added) return;
      clientForms = [...new Set([...clientSecrets].flatMap(secretForms))].sort((a, b) => b.length - a.length);
      plain = makeCallRedaction(clientForms, patterns);
    },
    forCall(secrets) {
      if (!secrets || secrets.length === 0) return plain;
      const forms = [...new Set([...secrets.filter((s) => s.length >= MIN_SECRET_LENGTH).flatMap(secretForms), ...clientForms])];
      forms.sort((a, b) => b.length - a.length);
      return makeCallRedaction(forms, patterns);
    },
  };
}

function makeCallRedaction(forms: readonly string[], patterns: readonly RegExp[]): CallRedaction {
  const active = forms.length > 0 || patterns.length > 0;
  const text = (t: string): string => {
    let out = t;
    for (const f of forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
    if (patterns.length > 0) out = redactPatterns(out, patterns);
    return redactCredentials(out);
  };
  const value = <T>(v: T, depth = 0): T => {
    if (typeof v === "string") return text(v) as T;
    if (v === null || typeof v !== "object" || depth > 64) return v;
    if (Array.isArray(v)) {
      let out: unknown[] | null = null;
      for (let i = 0; i < v.length; i++) {
        const r = value(v[i], depth + 1);
        if (r !== v[i]) (out ??= v.slice())[i] = r;
      }
      return (out ?? v) as T;
    }
    if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
    let out: Record<string, unknown> | null = null;
    for (const [k, item] of Object.entries(v)) {
      const key = text(k);
      const r = value(item, depth + 1);
      if (r !== item || key !== k) {
        out ??= { ...(v as Record<string, unknown>) };
        if (key !== k) delete out[k];
        out[key] = r;
      }
    }
    return (out ?? v) as T;
  };
  const attempt = (a: AttemptRecord): AttemptRecord => {
    const responseText = a.responseText === undefined ? undefined : text(a.responseText);
    const error = a.error === undefined ? undefined : value(a.error);
    if (responseText === a.responseText && error === a.error) return a;
    const copy = { ...a };
    if (responseText !== undefined) copy.responseText = responseText;
    if (error !== undefined) copy.error = error;
    return copy;
  };
  const attempts = (list: readonly AttemptRecord[]): AttemptRecord[] => {
    let out: AttemptRecord[] | null = null;
    for (let i = 0; i < list.length; i++) {
      const r = attempt(list[i]!);
      if (r !== list[i]) (out ??= list.slice())[i] = r;
    }
    return out ?? (list as AttemptRecord[]);
  };
  const event = (e: BallastEvent): BallastEvent => {
    switch (e.type) {
      case "call_start": {
        // only the content is free text (names and roles are Ballast's own)
        let sections: typeof e.sections | null = null;
        for (let i = 0; i < e.sections.length; i++) {
          const section = e.sections[i]!;
          const content = text(section.content);
          if (content !== section.content) (sections ??= e.sections.slice())[i] = { ...section, content };
        }
        return sections === null ? e : { ...e, sections };
      }
      case "attempt_end": {
        const a = attempt(e.attempt);
        return a === e.attempt ? e : { ...e, attempt: a };
      }
      case "fallback":
      case "stream_reset": {
        const reason = text(e.reason);
        return reason === e.reason ? e : { ...e, reason };
      }
      case "warning": {
        const message = text(e.message);
        return message === e.message ? e : { ...e, message };
      }
      case "prompt_feedback": {
        const feedback = text(e.feedback);
        return feedback === e.feedback ? e : { ...e, feedback };
      }
      case "call_end": {
        const r = e.result;
        const v = active ? value(r.value) : r.value;
        const as = attempts(r.attempts);
        const errors = value(r.errors);
        const feedback = typeof r.promptFeedback === "string" ? text(r.promptFeedback) : r.promptFeedback;
        const samples = active && r.samples ? value(r.samples) : r.samples;
        if (v === r.value && as === r.attempts && errors === r.errors && feedback === r.promptFeedback && samples === r.samples) return e;
        const result = { ...r, value: v, attempts: as, errors };
        if (feedback !== undefined) result.promptFeedback = feedback;
        if (samples !== undefined) result.samples = samples;
        return { ...e, result };
      }
      case "call_error": {
        const message = text(e.error.message);
        const as = attempts(e.attempts);
        if (message === e.error.message && as === e.attempts) return e;
        return { ...e, error: { ...e.error, message }, attempts: as };
      }
      default:
        return e;
    }
  };
  const error = <E>(err: E, depth = 0): E => {
    if (err === null || typeof err !== "object" || depth > 4) return err;
    const o = err as Record<string, unknown> & { message?: unknown; stack?: unknown; cause?: unknown };
    try {
      if (typeof o.message === "string") o.message = text(o.message);
      if (typeof o.stack === "string") o.stack = text(o.stack);
      for (const key of Object.keys(o)) {
        const v = o[key];
        if (key === "attempts" && Array.isArray(v)) setOwn(o, key, attempts(v as AttemptRecord[]));
        else if (key === "cause") continue;
        else if (typeof v === "string" || (v !== null && typeof v === "object" && !(v instanceof Error))) setOwn(o, key, value(v));
      }
      if (o.cause !== undefined) setOwn(o, "cause", typeof o.cause === "string" ? text(o.cause) : error(o.cause, depth + 1));
    } catch {
      // a frozen or exotic error object: leave what cannot be rewritten
    }
    return err;
  };
  return { active, text, value: (v) => value(v), attempts, event, error: (e) => error(e) };
}

/** Rewrites an own property, readonly class fields included (they are plain writable data properties at run time). */
function setOwn(o: object, key: string, v: unknown): void {
  if ((o as Record<string, unknown>)[key] === v) return;
  const d = Object.getOwnPropertyDescriptor(o, key);
  if (d && !d.writable && !d.configurable) return;
  Object.defineProperty(o, key, { value: v, writable: true, enumerable: d?.enumerable ?? true, configurable: true });
}
