/**
 * Standard input and output as bytes, for `ballast repair`: all of stdin in one buffer, and a line written
 * as bytes (the byte fast pass never makes a string of the repaired document). Loads nothing beyond node:fs,
 * so the repair fast lane starts without the rest of the command line.
 */
import { fstatSync, readFileSync, readSync } from "node:fs";

/** A regular file on stdin read whole, with room to spare after it; `fromStart`: stdin was at its start. */
export interface StdinFile {
  buffer: Buffer;
  length: number;
  fromStart: boolean;
}

/** stdin when it is a regular file, read into a buffer with `room` bytes past its end; null otherwise. */
export function readStdinFile(room: number): StdinFile | null {
  const stat = fstatSync(0);
  if (!stat.isFile()) return null;
  const buffer = Buffer.allocUnsafe(stat.size + room);
  let length = 0;
  for (;;) {
    if (length === buffer.length) return null; // the file grew: readStdinBytes reads it as it is
    const got = readSync(0, buffer, length, buffer.length - length, null);
    if (got === 0) break;
    length += got;
  }
  return { buffer, length, fromStart: length === stat.size };
}

/** Reads a StdinFile that started at the file's start again, over whatever was written into its buffer. */
export function readStdinFileAgain(file: StdinFile): void {
  let length = 0;
  while (length < file.length) {
    const got = readSync(0, file.buffer, length, file.length - length, length);
    if (got === 0) throw new Error("stdin changed while it was read");
    length += got;
  }
}

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
