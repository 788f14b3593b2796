/**
 * The client's `traces` option turned into a store: a path (or nothing: `.ballast/traces.db`) gives one store
 * shared by every client writing that file; options give a store of their own; `false` gives none.
 */
import { resolve } from "node:path";
import { createTraceStore, DEFAULT_TRACE_PATH, type TraceStore, type TraceStoreOptions } from "./index.js";

export type TracesOption = string | false | TraceStoreOptions | undefined;

const shared = new Map<string, TraceStore>();

export function traceStoreFromOption(option: TracesOption): TraceStore | null {
  if (option === false) return null;
  if (typeof option === "object") return createTraceStore(option);
  const path = resolve(option ?? DEFAULT_TRACE_PATH);
  let store = shared.get(path);
  if (!store || store.closed) {
    store = createTraceStore({ path });
    shared.set(path, store);
  }
  return store;
}
