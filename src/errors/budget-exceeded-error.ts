/** The spend limit for the current window is used up; no provider was called. */
import { BallastError } from "./ballast-error.js";

export class BudgetExceededError extends BallastError<"budget_exceeded"> {
  constructor(
    readonly limitUsd: number,
    readonly spentUsd: number,
  ) {
    super("budget_exceeded", `spend limit of $${limitUsd} reached ($${spentUsd.toFixed(4)} spent in this window)`);
  }
}
