/**
 * `ballast ui`: a local dashboard over the trace store (one process, read-only, loopback by default). The
 * public face of src/ui: start it, and the per-view data functions it serves (for tests and other front ends).
 */
export { type Dashboard, type DashboardOptions, startDashboard } from "./server.js";
export { bundleFrontEnd } from "./assets.js";
export * from "./data/index.js";
