/**
 * The dashboard's data: one function per view, each answering from the trace store (rollups plus the raw rows
 * not rolled up yet) for a window and task/model filters. Read-only.
 */
export { cache } from "./cache.js";
export { feedback } from "./feedback.js";
export { DashboardRequestError, readFilter, type ViewFilter } from "./filter.js";
export { guard } from "./guard.js";
export { health } from "./health.js";
export { overview } from "./overview.js";
export { listTraces, traceDetail } from "./traces.js";
export { talliesFor } from "./tallies-for.js";
