/**
 * `ballast repair` with no option at all, the usual call on a large reply, started before commander and the
 * recovery module load: stdin goes to the byte fast pass alone (one small module), and only a reply that
 * pass does not take loads the repair command, whose recover() path answers it as before.
 */
import { readStdinBytes, reportSteps, writeLineBytes } from "./stdio-bytes.js";

export async function repairFastLane(): Promise<void> {
  const input = await readStdinBytes();
  // named directly, lazily: the recovery module's face would load recover() and all it needs
  const { repairBytes } = await import("../recovery/byte-repair.js");
  const steps: string[] = [];
  const repaired = repairBytes(input, steps);
  if (repaired !== null) {
    await writeLineBytes(repaired);
    reportSteps(steps);
    return;
  }
  const { repairReply } = await import("./commands/repair.js");
  await repairReply(input, true);
}
