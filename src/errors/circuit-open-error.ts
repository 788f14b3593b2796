/** The model's circuit breaker is open: it failed too often recently, so it was skipped without a call. */
import { BallastError } from "./ballast-error.js";

export class CircuitOpenError extends BallastError<"circuit_open"> {
  constructor(readonly model: string) {
    super("circuit_open", `${model} was skipped: its circuit breaker is open`);
  }
}
