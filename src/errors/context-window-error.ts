/** The prompt is larger than the model's context window. */
import { BallastError } from "./ballast-error.js";

export class ContextWindowError extends BallastError<"context_window"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("context_window", message, options);
  }
}
