/** The request worked but the data was rejected: unparseable JSON or a value that fails the schema. */
import type { ValidationIssue } from "../core/index.js";
import { BallastError } from "./ballast-error.js";

export class InvalidOutputError extends BallastError<"invalid_output"> {
  constructor(
    readonly issues: ValidationIssue[],
    /** The raw text the model produced (truncated to 2,000 characters). */
    readonly text: string,
    /** Recovery steps applied before validation. */
    readonly steps: string[] = [],
  ) {
    const summary = issues
      .slice(0, 5)
      .map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`)
      .join("; ");
    super("invalid_output", `the model's output was rejected: ${summary}`);
  }
}
