/** Option checks shared by the client, tasks and calls, and the budget guard's pre-call verdict. */
import { BudgetExceededError } from "../errors/budget-exceeded-error.js";
import { ConfigurationError } from "../errors/configuration-error.js";
import type { Budget } from "../observe/budget.js";
import type { CallOptions } from "./options.js";

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

export function checkOptions(o: CallOptions & { models?: unknown }, where: string): void {
  const positive = ["timeoutMs", "deadlineMs", "maxRetryWaitMs"] as const;
  for (const key of positive) {
    const v = o[key];
    if (v !== undefined && !(typeof v === "number" && v > 0 && Number.isFinite(v))) throw new ConfigurationError(`${where}: ${key} must be a positive number of milliseconds, got ${String(v)}`);
  }
  if (o.n !== undefined && !(Number.isInteger(o.n) && o.n >= 1 && o.n <= 128)) throw new ConfigurationError(`${where}: n must be a whole number from 1 to 128, got ${String(o.n)}`);
  if (o.reasks !== undefined && !(Number.isInteger(o.reasks) && o.reasks >= 0)) throw new ConfigurationError(`${where}: reasks must be a whole number >= 0, got ${String(o.reasks)}`);
  if (o.models !== undefined && (!Array.isArray(o.models) || o.models.length === 0)) throw new ConfigurationError(`${where}: models must be a non-empty array of models, e.g. [openai("gpt-4o")]`);
  if (o.temperature !== undefined && !(o.temperature >= 0 && o.temperature <= 2)) throw new ConfigurationError(`${where}: temperature must be between 0 and 2, got ${String(o.temperature)}`);
  if (o.hedge && !(o.hedge.afterMs >= 0)) throw new ConfigurationError(`${where}: hedge.afterMs must be >= 0`);
}
