/**
 * The `wrongShape` fault: valid JSON that does not fit the schema the way real models miss it (a field of
 * the wrong type, a missing required field, extra fields, enum case drift, numbers as strings).
 */
import type { JsonSchema } from "../core/index.js";
import type { Rng } from "./random.js";
import { resolveRef, typesOf } from "./schema-walk.js";

export const WRONG_SHAPE_FORMS = ["wrongType", "missingField", "extraField", "enumCaseDrift", "numberAsString"] as const;
export type WrongShapeForm = (typeof WRONG_SHAPE_FORMS)[number];

interface Slot {
  holder: Record<string, unknown>;
  key: string;
  schema: JsonSchema;
  required: boolean;
}

/** Every property of every object in `value`, with its (resolved) subschema. */
function slots(root: JsonSchema, schema: JsonSchema, value: unknown, out: Slot[] = []): Slot[] {
  const s = resolveRef(root, schema);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    if (Array.isArray(value) && value.length > 0 && s.items) slots(root, s.items, value[0], out);
    return out;
  }
  const holder = value as Record<string, unknown>;
  const required = new Set(s.required ?? []);
  for (const [key, sub] of Object.entries(s.properties ?? {})) {
    if (!(key in holder)) continue;
    const resolved = resolveRef(root, sub);
    out.push({ holder, key, schema: resolved, required: required.has(key) });
    slots(root, resolved, holder[key], out);
  }
  return out;
}

function mistype(v: unknown): unknown {
  if (typeof v === "string") return v.length > 0 ? 7 : false;
  if (typeof v === "number") return `about ${v}`;
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v[0] ?? "none";
  if (v === null) return "N/A";
  return JSON.stringify(v);
}

function applies(form: WrongShapeForm, slot: Slot): boolean {
  const v = slot.holder[slot.key];
  switch (form) {
    case "wrongType":
      return true;
    case "missingField":
      return slot.required;
    case "extraField":
      return false;
    case "enumCaseDrift":
      return Array.isArray(slot.schema.enum) && typeof v === "string" && v.toUpperCase() !== v.toLowerCase();
    case "numberAsString":
      return typeof v === "number";
  }
}

/** Returns a deep copy of `value` broken in one way (the form chosen by the Rng among those that apply). */
export function makeWrongShape(root: JsonSchema, value: unknown, rng: Rng): { form: WrongShapeForm; value: unknown } {
  const copy = structuredClone(value);
  if (copy === null || typeof copy !== "object" || Array.isArray(copy)) {
    const isObjectSchema = typesOf(resolveRef(root, root)).includes("object");
    return { form: "wrongType", value: isObjectSchema ? [copy] : { result: copy } };
  }
  const all = slots(root, root, copy);
  const candidates = WRONG_SHAPE_FORMS.filter((f) => f === "extraField" || all.some((s) => applies(f, s)));
  const form = rng.pick(candidates);
  if (form === "extraField") {
    const target = copy as Record<string, unknown>;
    target[rng.pick(["notes", "confidence", "explanation", "_meta"])] = rng.pick(["see above", 0.87, "n/a"]);
    target.additional_info = "Extracted from the provided text.";
    return { form, value: copy };
  }
  const slot = rng.pick(all.filter((s) => applies(form, s)));
  const v = slot.holder[slot.key];
  switch (form) {
    case "wrongType": {
      let wrong = mistype(v);
      const allowed = typesOf(slot.schema);
      if (
        allowed.includes(typeof wrong === "number" ? "number" : typeof wrong) ||
        (typeof wrong === "number" && allowed.includes("integer"))
      ) {
        wrong = [wrong];
      }
      slot.holder[slot.key] = wrong;
      break;
    }
    case "missingField":
      delete slot.holder[slot.key];
      break;
    case "enumCaseDrift": {
      const s = v as string;
      const drifted =
        s === s.toUpperCase() ? s.toLowerCase() : s === s.toLowerCase() ? s.charAt(0).toUpperCase() + s.slice(1) : s.toUpperCase();
      slot.holder[slot.key] = drifted === s ? s.toUpperCase() : drifted;
      break;
    }
    case "numberAsString":
      slot.holder[slot.key] = String(v);
      break;
  }
  return { form, value: copy };
}
