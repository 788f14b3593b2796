/**
 * `ballast repair` with no option at all, the usual call on a large reply, started before commander and the
 * recovery module load: stdin goes to the byte fast pass alone (one small module), and only a reply that
 * pass does not take loads the repair command, whose recover() path answers it as before. A regular file
 * on stdin is repaired in place, in the buffer it was read into (no second large buffer to fill), and read
 * again from the file if the pass gives up.
 */
import { readStdinBytes, readStdinFile, readStdinFileAgain, reportSteps, writeLineBytes } from "./stdio-bytes.js";

export async function repairFastLane(): Promise<void> {
  // named directly, lazily: the recovery module's face would load recover() and all it needs
  const { IN_PLACE_ROOM, repairBytes, repairBytesInPlace } = await import("../recovery/byte-repair.js");
  const steps: string[] = [];
  const file = readStdinFile(IN_PLACE_ROOM);
  let input: Buffer;
  let repaired: Uint8Array | null;
  if (file?.fromStart) {
    repaired = repairBytesInPlace(file.buffer, file.length, steps);
    if (repaired === null) readStdinFileAgain(file);
    input = file.buffer.subarray(0, file.length);
  } else {
    input = file === null ? await readStdinBytes() : file.buffer.subarray(0, file.length);
    repaired = repairBytes(input, steps);
  }
  if (repaired !== null) {
    await writeLineBytes(repaired);
    reportSteps(steps);
    return;
  }
  const { repairReply } = await import("./commands/repair.js");
  await repairReply(input, true);
}
