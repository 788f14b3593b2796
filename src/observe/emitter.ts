/**
 * The event hub a client emits its `BallastEvent`s through. `active` is false while nobody listens, so the
 * core can skip building events entirely; a throwing listener is counted and warned about once, never rethrown.
 */
import type { BallastEvent, EventListener } from "../core/index.js";

export interface Emitter {
  /** Subscribes; returns the function that unsubscribes. */
  on(listener: EventListener): () => void;
  /** Delivers to every listener in subscription order. Never throws. */
  emit(event: BallastEvent): void;
  /** True while at least one listener is subscribed: check it before building an event. */
  readonly active: boolean;
  /** Listener exceptions (and rejected promises) swallowed so far. */
  readonly listenerErrors: number;
}

export interface EmitterOptions {
  /** Called once, on the first listener failure. Default: `console.warn`. */
  onListenerError?: (error: unknown, event: BallastEvent) => void;
}

export function createEmitter(options: EmitterOptions = {}): Emitter {
  let listeners: EventListener[] = [];
  let errors = 0;
  const fail = (error: unknown, event: BallastEvent): void => {
    errors++;
    if (errors !== 1) return;
    try {
      if (options.onListenerError) options.onListenerError(error, event);
      else console.warn(`ballast: an onEvent listener threw (further failures are only counted): ${String(error)}`);
    } catch {
      // a broken warning hook must not break the call either
    }
  };
  return {
    on(listener) {
      listeners = [...listeners, listener]; // copy-on-write: emit iterates a stable array
      return () => {
        listeners = listeners.filter((l) => l !== listener);
      };
    },
    emit(event) {
      for (const listener of listeners) {
        try {
          const r = listener(event) as unknown;
          if (r && typeof (r as PromiseLike<unknown>).then === "function") {
            (r as Promise<unknown>).then(undefined, (e: unknown) => fail(e, event));
          }
        } catch (e) {
          fail(e, event);
        }
      }
    },
    get active() {
      return listeners.length > 0;
    },
    get listenerErrors() {
      return errors;
    },
  };
}
