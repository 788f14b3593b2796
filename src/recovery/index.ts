/**
 * JSON recovery: turns what a model actually wrote into the value it meant, before any costly retry.
 * Public face: recover() for whole replies, createIncrementalParser() for streams, and repairBytes() for a large
 * broken document as bytes in, repaired JSON bytes out (null where recover() is needed); none of them throw.
 *
 * @example
 * import { recover } from "ballast/recovery";
 * const r = recover('Sure! ```json\n{"score": 8, "tags": ["a", "b",]}\n```', { schema: jsonSchemaOfScore });
 * if (r.ok) console.log(r.value, r.steps); // { score: 8, tags: ["a", "b"] }, the repair steps applied
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
export { IN_PLACE_ROOM, repairBytes, repairBytesInPlace } from "./byte-repair.js";
