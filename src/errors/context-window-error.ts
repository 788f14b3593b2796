/** The prompt is larger than the model's context window. */
import { BallastError } from "./ballast-error.js";

export class ContextWindowError extends BallastError {
  constructor(message: string) {
    super("context_window", message);
  }
}
