/** The client: createBallast, tasks, calls and their result types. */
export { createBallast, type Ballast, type Task, type TaskStreamOptions } from "./create-ballast.js";
export type { ReplayedReply } from "./replay.js";
export type {
  BallastOptions,
  CallOptions,
  Fallback,
  GenerateOptions,
  HedgeOptions,
  RetryOptions,
  StreamOptions,
  PerCallOptions,
  TaskDefinition,
  TextOptions,
} from "./options.js";
export type { AttemptOutcome, AttemptRecord, GenerateResult, PrivateContextReport, ResultSource } from "../core/index.js";
