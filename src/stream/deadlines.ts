/**
 * The two streaming deadlines of one attempt: time to the first chunk and the longest gap between chunks.
 * One timer at a time; `chunk()` only stamps the time, so a fast stream costs no timer churn.
 */
import { StreamTimeoutError } from "../errors/index.js";

export interface ChunkDeadlineOptions {
  firstChunkMs?: number | undefined;
  idleMs?: number | undefined;
  model: string;
  /** Called once, with the error to abort the request with. */
  onExpire: (error: StreamTimeoutError) => void;
}

export interface ChunkDeadlines {
  /** A chunk arrived. */
  chunk(): void;
  /** Stops the timer (in a `finally`). */
  clear(): void;
}

export function watchChunks(options: ChunkDeadlineOptions): ChunkDeadlines {
  const { firstChunkMs, idleMs } = options;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let last = 0;
  let over = false;
  const expire = (error: StreamTimeoutError) => {
    timer = undefined;
    if (over) return;
    over = true;
    options.onExpire(error);
  };
  const idleCheck = () => {
    const quiet = performance.now() - last;
    if (quiet >= idleMs!) expire(new StreamTimeoutError("idle", idleMs!, options.model));
    else timer = setTimeout(idleCheck, idleMs! - quiet);
  };
  if (firstChunkMs !== undefined)
    timer = setTimeout(() => expire(new StreamTimeoutError("first_chunk", firstChunkMs, options.model)), firstChunkMs);
  return {
    chunk() {
      last = performance.now();
      if (started) return;
      started = true;
      clearTimeout(timer);
      timer = idleMs !== undefined && !over ? setTimeout(idleCheck, idleMs) : undefined;
    },
    clear() {
      over = true;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
