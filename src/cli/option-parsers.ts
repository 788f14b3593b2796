/**
 * Parsers for numeric command-line options: a malformed or out-of-range value is commander's
 * InvalidArgumentError, which main.ts turns into a one-line message and exit code 2 (a usage error).
 * Enum options use commander's own `Option.choices`.
 */
import { InvalidArgumentError } from "commander";

/** A whole number in [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value) => {
    const text = value.trim();
    if (!/^[+-]?\d+$/.test(text)) throw new InvalidArgumentError(`expected a whole number, got "${value}".`);
    const n = Number(text);
    if (n < min || n > max) {
      throw new InvalidArgumentError(
        `expected a whole number ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`}, got ${n}.`,
      );
    }
    return n;
  };
}

/** A number in [0, 1]. */
export function fraction(value: string): number {
  const text = value.trim();
  const n = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError(`expected a number from 0 to 1, got "${value}".`);
  return n;
}

/** A number > 0 (fractions allowed: `--budget 2.5`, `--rpm 0.5`). */
export function positive(value: string): number {
  const text = value.trim();
  const n = text === "" ? Number.NaN : Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0, got "${value}".`);
  return n;
}
