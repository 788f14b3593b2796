/** The model declined to answer (OpenAI `refusal`, Anthropic stop_reason "refusal"). */
import { BallastError } from "./ballast-error.js";

export class RefusalError extends BallastError<"refusal"> {
  constructor(readonly refusal: string) {
    super("refusal", `the model refused: ${refusal.slice(0, 200)}`);
  }
}
