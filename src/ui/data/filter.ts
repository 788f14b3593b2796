/**
 * The filters every dashboard view takes from its query string: a time window (`since`, as `ballast stats
 * --since` reads it, or "all"), a task and a model. Bad values become a `DashboardRequestError` naming the field.
 */
import { parseSince } from "../../observe/index.js";

export class DashboardRequestError extends Error {
  readonly kind = "dashboard_request" as const;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = "DashboardRequestError";
  }
}

export interface ViewFilter {
  /** Lower bound (epoch ms) of the calls' start; 0 for all. */
  since: number;
  /** The window as asked ("24h", "all"). */
  window: string;
  /** Exact task name ("" is the unnamed task); undefined for all. */
  task: string | undefined;
  /** Exact model name; undefined for all. */
  model: string | undefined;
}

export function readFilter(params: URLSearchParams, now = Date.now()): ViewFilter {
  const window = params.get("since") ?? "24h";
  let since = 0;
  if (window !== "all") {
    try {
      since = parseSince(window, now);
    } catch (error) {
      throw new DashboardRequestError("since", (error as Error).message.replace(/^--since: /, ""));
    }
  }
  const text = (name: string): string | undefined => {
    const v = params.get(name);
    if (v === null || v === "*") return undefined;
    if (v.length > 500) throw new DashboardRequestError(name, "longer than 500 characters");
    return v;
  };
  return { since, window, task: text("task"), model: text("model") };
}

/** Keeps a tally row when it fits the task and model filters. */
export const fits = (f: ViewFilter, row: { task: string; model: string }): boolean =>
  (f.task === undefined || row.task === f.task) && (f.model === undefined || row.model === f.model);
