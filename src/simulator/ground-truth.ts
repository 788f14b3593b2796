/**
 * Ground truth for accuracy tests: when the last user message contains a scenario's `match`, each top-level
 * field of the answer is the correct one with probability `accuracy`, else a plausible wrong value.
 */
import type { JsonSchema } from "../core/index.js";
import type { GroundTruth } from "./config.js";
import type { Rng } from "./random.js";
import { resolveRef } from "./schema-walk.js";
import { WORDS } from "./words.js";

export function findGroundTruth(groundTruth: readonly GroundTruth[], lastUserText: string): GroundTruth | undefined {
  return groundTruth.find((g) => lastUserText.includes(g.match));
}

/** A value of the same kind as `correct` that differs from it (spread over several wrong values). */
export function wrongValue(correct: unknown, schema: JsonSchema | undefined, rng: Rng): unknown {
  if (schema && Array.isArray(schema.enum)) {
    const others = schema.enum.filter((v) => JSON.stringify(v) !== JSON.stringify(correct));
    if (others.length > 0) return rng.pick(others);
  }
  if (typeof correct === "boolean") return !correct;
  if (typeof correct === "number") {
    const magnitude = Math.max(1, Math.abs(correct) * 0.2);
    let delta = Math.max(1, Math.round(rng.next() * magnitude));
    if (!Number.isInteger(correct)) delta = Math.round(rng.next() * magnitude * 100) / 100 || 0.5;
    let wrong = correct + (rng.chance(0.5) ? delta : -delta);
    if (schema?.minimum !== undefined && wrong < schema.minimum) wrong = correct + delta;
    if (schema?.maximum !== undefined && wrong > schema.maximum) wrong = correct - delta;
    return wrong === correct ? correct + 1 : wrong;
  }
  if (typeof correct === "string") {
    const variants = [
      `${correct} ${rng.pick(WORDS)}`,
      rng.pick(WORDS),
      `${rng.pick(WORDS)} ${rng.pick(WORDS)}`,
      correct.split("").reverse().join(""),
    ];
    const wrong = rng.pick(variants);
    return wrong === correct ? `${correct}?` : wrong;
  }
  if (Array.isArray(correct)) {
    if (correct.length === 0) return ["unknown"];
    const copy = [...correct];
    if (rng.chance(0.5)) copy.pop();
    else copy[0] = wrongValue(copy[0], schema?.items, rng);
    return copy;
  }
  if (correct === null) return rng.pick(WORDS);
  if (typeof correct === "object") {
    const copy: Record<string, unknown> = { ...(correct as Record<string, unknown>) };
    const keys = Object.keys(copy);
    if (keys.length === 0) return { note: rng.pick(WORDS) };
    const key = rng.pick(keys);
    copy[key] = wrongValue(copy[key], schema?.properties?.[key], rng);
    return copy;
  }
  return correct;
}

/** Overlays the ground-truth answer on a generated value, each field right with probability `accuracy`. */
export function applyGroundTruth(
  value: unknown,
  root: JsonSchema | null,
  { truth, accuracy, rng }: { truth: GroundTruth; accuracy: number; rng: Rng },
): unknown {
  const out: Record<string, unknown> =
    value !== null && typeof value === "object" && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {};
  const schema = root ? resolveRef(root, root) : undefined;
  for (const [key, correct] of Object.entries(truth.answer)) {
    const fieldSchema = schema?.properties?.[key] ? resolveRef(root as JsonSchema, schema.properties[key] as JsonSchema) : undefined;
    out[key] = rng.next() < accuracy ? correct : wrongValue(correct, fieldSchema, rng);
  }
  return out;
}
