/**
 * Per-call secrets (a call's private context) that every sink must redact: the client registers them before
 * emitting `call_start`; the trace store and the OpenTelemetry listener read them. Entries expire on their own.
 */

export interface SecretRegistry {
  /** Registers a secret for a call (ignored when shorter than 4 characters). */
  add(callId: string, secret: string): void;
  /** The call's secrets (empty when none or expired). */
  get(callId: string): readonly string[];
}

export interface SecretRegistryOptions {
  /** How long a call's secrets are kept after registration (default 15 minutes: sinks flush well before). */
  ttlMs?: number;
  /** At most this many calls are remembered (default 10_000; the oldest go first). */
  maxCalls?: number;
  now?: () => number;
}

const none: readonly string[] = Object.freeze([]);

export function createSecretRegistry(options: SecretRegistryOptions = {}): SecretRegistry {
  const ttl = options.ttlMs ?? 15 * 60_000;
  const max = options.maxCalls ?? 10_000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { at: number; secrets: string[] }>();
  const prune = (): void => {
    const oldest = now() - ttl;
    for (const [id, e] of entries) {
      if (e.at >= oldest && entries.size <= max) break; // insertion order: the rest are newer
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
  };
}
