/** The models' prompt feedback grouped per task, with counts and example calls: what `ballast feedback` prints. */
import { promptFeedback, type TraceDb } from "../../observe/trace-store/index.js";
import type { ViewFilter } from "./filter.js";

export function feedback(db: TraceDb, f: ViewFilter) {
  return {
    tasks: promptFeedback(db, { since: f.since, top: 10, ...(f.task !== undefined ? { task: f.task } : {}) }),
  };
}
