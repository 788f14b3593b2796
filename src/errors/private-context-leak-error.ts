/** The answer revealed private context without the secret and the task withholds such answers. */
import { BallastError } from "./ballast-error.js";

export class PrivateContextLeakError extends BallastError<"private_context_leak"> {
  constructor(readonly outcome: "self_reported" | "silent") {
    super("private_context_leak", `the answer was withheld: it revealed private context (${outcome} leak)`);
  }
}
