/**
 * Per-call secrets (a call's private context) that a sink redacts from what it writes later: registered before
 * the call's events are written, released by the sink once the call's end is written (never evicted while the
 * call may still be written, however many calls are in flight). Entries never released expire after `ttlMs`.
 */

export interface SecretRegistry {
  /** Registers a secret for a call (ignored when shorter than 4 characters). */
  add(callId: string, secret: string): void;
  /** The call's secrets (empty when none or expired). */
  get(callId: string): readonly string[];
  /** Forgets the call's secrets: call it once everything about the call is written. */
  release(callId: string): void;
  /** Calls with secrets held. */
  readonly size: number;
}

export interface SecretRegistryOptions {
  /** How long a call's secrets are kept when never released (default 15 minutes: sinks write well before). */
  ttlMs?: number;
  now?: () => number;
}

const none: readonly string[] = Object.freeze([]);

export function createSecretRegistry(options: SecretRegistryOptions = {}): SecretRegistry {
  const ttl = options.ttlMs ?? 15 * 60_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; secrets: string[] }>();
  const prune = (): void => {
    const oldest = now() - ttl;
    for (const [id, e] of entries) {
      if (e.at >= oldest) break; // insertion order: the rest are newer
      entries.delete(id);
    }
  };
  return {
    add(callId, secret) {
      if (typeof secret !== "string" || secret.length < 4) return;
      const e = entries.get(callId);
      if (e) {
        if (!e.secrets.includes(secret)) e.secrets.push(secret);
        return;
      }
      entries.set(callId, { at: now(), secrets: [secret] });
      prune();
    },
    get(callId) {
      const e = entries.get(callId);
      return e && e.at >= now() - ttl ? e.secrets : none;
    },
    release(callId) {
      entries.delete(callId);
    },
    get size() {
      return entries.size;
    },
  };
}
