/**
 * The public face of observability: the event types, the event hub, dollar costs, the budget guard and the
 * SQLite trace store. OpenTelemetry lives apart in `./otel.js` (its own entry) so `@opentelemetry/api` stays optional.
 */
export type { BallastEvent, BallastEventType, EventListener } from "../core/index.js";
export { createEmitter, type Emitter, type EmitterOptions } from "./emitter.js";
export { attemptCost, sumCosts } from "./cost.js";
export { catalogueCost, cataloguePrice, preloadPriceCatalogue, priceCost } from "./price-catalogue.js";
export { createBudget, type Budget, type BudgetOptions } from "./budget.js";
export { createSecretRegistry, type SecretRegistry, type SecretRegistryOptions } from "./secrets.js";
export { REDACTED, redactCredentials, redactSecrets, redactText, type Redactor } from "./redact.js";
export {
  type CallRedaction,
  type ClientRedactor,
  createRedactor,
  MIN_SECRET_LENGTH,
  redactOptionProblem,
  type RedactOptions,
  secretForms,
} from "./redactor.js";
export {
  createTraceStore,
  DEFAULT_TRACE_PATH,
  openMergedTraceDb,
  openTraceDb,
  tracePathProblem,
  type TraceDb,
  type TraceStore,
  type TraceStoreOptions,
} from "./trace-store/index.js";
export { traceStoreFromOption, type TracesOption } from "./trace-store/from-option.js";
export {
  getCall,
  listCalls,
  parseSince,
  stats,
  type CallListItem,
  type CallTrace,
  type ModelStats,
  type Stats,
} from "./trace-store/queries.js";
export { readTallies, percentile, sortedLatencies, promptFeedback } from "./trace-store/index.js";
export type { Tallies, TallyParts } from "./trace-store/index.js";
export { ms, pct, table, usd, when } from "./format-table.js";
export { callIdsWithPrefix } from "./trace-store/queries.js";
export { DAY_MS } from "./trace-store/index.js";
