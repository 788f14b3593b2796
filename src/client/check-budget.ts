/** The budget guard's pre-call verdict: may this call spend, or does it fall back at once? */
import { BudgetExceededError } from "../errors/budget-exceeded-error.js";
import type { Budget } from "../observe/budget.js";

/** The budget guard's verdict before any provider is called: null when the call may go ahead. */
export function checkBudget(budget: Budget | null): BudgetExceededError | null {
  try {
    budget?.check();
    return null;
  } catch (err) {
    if (err instanceof BudgetExceededError) return err;
    throw err;
  }
}
