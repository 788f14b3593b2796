/**
 * Strings that match a schema `pattern`, drawn from the request's seeded Rng. Uses randexp (a well-kept
 * generator that covers classes, groups, alternation and quantifiers) rather than a hand-written walker;
 * open-ended quantifiers are kept short, as a model writes them.
 */
import randexp from "randexp";
import type { Rng } from "./random.js";

// A CommonJS module whose typings declare an ES default: at run time the default import is the class.
const RandExp = randexp as unknown as typeof randexp.default;

const compiled = new Map<string, RegExp | null>();

function compile(pattern: string): RegExp | null {
  let re = compiled.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      try {
        re = new RegExp(pattern);
      } catch {
        re = null;
      }
    }
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, re);
  }
  return re;
}

/**
 * A string matching `pattern` within [minLength, maxLength], or undefined when the pattern does not compile
 * or no try fits. Patterns are unanchored in JSON Schema; the draw is of the whole pattern, so it matches.
 */
export function stringMatching(pattern: string, rng: Rng, lengths: { min: number; max: number }): string | undefined {
  const re = compile(pattern);
  if (!re) return undefined;
  const generator = new RandExp(re);
  generator.max = Math.max(6, Math.min(lengths.min, 64));
  generator.randInt = (a: number, b: number) => rng.int(a, b);
  // Printable ASCII for `.` and negated classes, as a model writes.
  generator.defaultRange.subtract(0, 31);
  generator.defaultRange.subtract(127, 0x10ffff);
  for (let tries = 0; tries < 12; tries++) {
    const text = fitLength(generator.gen(), lengths);
    if (text.length >= lengths.min && text.length <= lengths.max && re.test(text)) return text;
  }
  return undefined;
}

/** Cuts or extends (repeating the last character, as `x+` allows) a draw to the length bounds; re-checked by the caller. */
function fitLength(text: string, lengths: { min: number; max: number }): string {
  if (text.length > lengths.max) return text.slice(0, lengths.max);
  if (text.length < lengths.min && text.length > 0) return text + (text[text.length - 1] as string).repeat(lengths.min - text.length);
  return text;
}
