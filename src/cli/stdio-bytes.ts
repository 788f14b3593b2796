/**
 * Standard input and output as bytes, for `ballast repair`: all of stdin in one buffer, and a line written
 * as bytes (the byte fast pass never makes a string of the repaired document). Loads nothing beyond node:fs,
 * so the repair fast lane starts without the rest of the command line.
 */
import { fstatSync, readFileSync } from "node:fs";

/**
 * All of stdin. A redirected file is read in one call into one buffer of its known size; a pipe or a
 * terminal is streamed (a non-blocking pipe would make a synchronous read fail half-way).
 */
export async function readStdinBytes(): Promise<Buffer> {
  if (fstatSync(0).isFile()) return readFileSync(0);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Writes `bytes` and a newline to stdout, resolving once stdout can take more. */
export function writeLineBytes(bytes: Uint8Array): Promise<void> {
  process.stdout.write(bytes);
  const more = process.stdout.write("\n");
  return more ? Promise.resolve() : new Promise((resolve) => process.stdout.once("drain", resolve));
}

/** The `repaired: …` note on stderr that follows a repaired document (nothing when none was needed). */
export function reportSteps(steps: readonly string[]): void {
  if (steps.length > 0) process.stderr.write(`repaired: ${steps.join(", ")}\n`);
}
