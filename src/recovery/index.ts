/**
 * JSON recovery: turns what a model actually wrote into the value it meant, before any costly retry.
 * Public face: recover() for whole replies, createIncrementalParser() for streams; both never throw.
 */
export { recover, type RecoverOptions, type RecoveryResult } from "./recover.js";
export {
  createIncrementalParser,
  type IncrementalOptions,
  type IncrementalParser,
  type PartialValue,
} from "./incremental.js";
export { RISKY_STEPS, stepKind, type Strictness } from "./strictness.js";
export { RepairError } from "./repair-error.js";
