/**
 * Vocabulary for generated text: plausible English words and sentences for free-text answers and
 * string fields, chosen by a seeded generator so output is deterministic.
 */
import type { Rng } from "./random.js";

export const WORDS = [
  "the",
  "report",
  "shows",
  "steady",
  "growth",
  "in",
  "customer",
  "demand",
  "across",
  "regions",
  "revenue",
  "increased",
  "while",
  "costs",
  "remained",
  "stable",
  "team",
  "delivered",
  "project",
  "ahead",
  "of",
  "schedule",
  "analysis",
  "suggests",
  "a",
  "moderate",
  "risk",
  "for",
  "next",
  "quarter",
  "market",
  "conditions",
  "improved",
  "supply",
  "chain",
  "issues",
  "eased",
  "product",
  "launch",
  "was",
  "well",
  "received",
  "by",
  "users",
  "and",
  "partners",
  "support",
  "tickets",
  "declined",
  "sharply",
  "overall",
  "outlook",
  "positive",
  "with",
  "some",
  "uncertainty",
  "around",
  "pricing",
  "strategy",
  "review",
] as const;

const FIRST_NAMES = ["Alice", "Bruno", "Chen", "Dana", "Emeka", "Fatima", "Goran", "Hana", "Ivan", "Julia"];
const LAST_NAMES = ["Smith", "Okafor", "Li", "Novak", "Garcia", "Tanaka", "Müller", "Rossi", "Khan", "Silva"];
const CITIES = ["Lisbon", "Osaka", "Nairobi", "Toronto", "Berlin", "Austin", "Lyon", "Pune", "Oslo", "Quito"];

export function words(rng: Rng, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(rng.pick(WORDS));
  return out.join(" ");
}

export function sentence(rng: Rng, minWords = 6, maxWords = 14): string {
  const text = words(rng, rng.int(minWords, maxWords));
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

export function paragraph(rng: Rng, sentences: number): string {
  const out: string[] = [];
  for (let i = 0; i < sentences; i++) out.push(sentence(rng));
  return out.join(" ");
}

/** A value that fits what a field name suggests ("name", "city", "email"…), else a short phrase. */
export function stringForField(rng: Rng, field: string | undefined): string {
  const key = (field ?? "").toLowerCase();
  if (key.includes("email")) return `${rng.pick(FIRST_NAMES).toLowerCase()}@example.com`;
  if (key === "name" || key.endsWith("_name") || key.endsWith("name")) {
    return `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
  }
  if (key.includes("city") || key.includes("location")) return rng.pick(CITIES);
  if (key.includes("summary") || key.includes("description") || key.includes("reason") || key.includes("explanation")) {
    return sentence(rng);
  }
  return words(rng, rng.int(2, 5));
}
