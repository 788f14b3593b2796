/** A batch's input row is malformed (not JSON, no id, a duplicate id…) and the run was told to stop on one. */
import { BallastError } from "./ballast-error.js";

export class BatchInputError extends BallastError {
  constructor(
    /** 1-based line in the input file; null for a row that did not come from a file. */
    readonly line: number | null,
    readonly reason: string,
  ) {
    super("batch_input", `${line === null ? "input row" : `line ${line}`}: ${reason}`);
  }
}
