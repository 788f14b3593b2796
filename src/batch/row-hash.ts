/**
 * Content hashes for exact resume: a task's fingerprint (name, instructions, examples, sections, wire schema,
 * models, fallback) fixed once, and per row sha256(fingerprint, input). A changed task changes every row's
 * hash; a changed input changes only its row's. An input that cannot be hashed (a BigInt, a circular
 * reference) makes its row a bad row (`hashRow`), never the end of the run.
 */
import * as crypto from "node:crypto";
import { inputProblem } from "../core/index.js";
import { stableJson } from "../prompt/index.js";
import { toJsonSchema } from "../schema/index.js";
import type { BatchTask } from "./task.js";

export function taskFingerprint(task: BatchTask): string {
  const d = task.definition;
  let schema: unknown;
  try {
    schema = toJsonSchema(d.schema);
  } catch {
    schema = String(d.schema);
  }
  const parts = {
    name: d.name,
    instructions: d.instructions ?? null,
    examples: d.examples ?? null,
    sections: d.sections ?? null,
    schema,
    models: task.models.map((m) => `${m.provider}:${m.modelId}`),
    fallback: typeof d.fallback === "function" ? d.fallback.toString() : (d.fallback ?? null),
  };
  return crypto.createHash("sha256").update(stableJson(parts)).digest("hex");
}

/** One-shot sha256 (Node >= 20.12: no Hash object per row), else the streaming one. */
const sha256: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "base64url")
    : (text) => crypto.createHash("sha256").update(text).digest("base64url");

export function rowHash(fingerprint: string, input: unknown): string {
  const json = input === undefined ? "undefined" : typeof input === "string" ? JSON.stringify(input) : stableJson(input);
  return sha256(`${fingerprint}\0${json}`).slice(0, 22);
}

/** A row's hash, or why its input cannot be hashed (then the row is reported as bad and skipped). */
export function hashRow(fingerprint: string, input: unknown): { hash: string; problem: null } | { hash: null; problem: string } {
  try {
    return { hash: rowHash(fingerprint, input), problem: null };
  } catch (error) {
    const why = inputProblem(input) ?? `input cannot be turned into JSON (${error instanceof Error ? error.message : String(error)})`;
    return { hash: null, problem: why };
  }
}
