/**
 * Counters behind `/_ballast/stats` and `Simulator.stats()`: requests per model and per fault, token usage
 * and cost at the model card's prices, open connections, hanging requests, and client aborts.
 */
import type { FaultName, ModelCard } from "./config.js";

export interface ModelStats {
  requests: number;
  faults: Partial<Record<FaultName, number>>;
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  /** Dollars at the card's prices (cached input at `priceCachedInputPerMTok`); null when no price is set. */
  costUsd: number | null;
  prices: { inputPerMTok: number | null; cachedInputPerMTok: number | null; outputPerMTok: number | null };
}

export interface SimulatorStats {
  totalRequests: number;
  /** Requests per route path, e.g. "/v1/chat/completions". */
  byRoute: Record<string, number>;
  byModel: Record<string, ModelStats>;
  byFault: Partial<Record<FaultName, number>>;
  /** TCP connections open now. */
  openConnections: number;
  /** Requests held open by the `hang` fault right now. */
  hangingRequests: number;
  /** Requests whose client closed the connection before the reply was complete. */
  abortedRequests: number;
  /** Entries in the prompt cache. */
  promptCacheEntries: number;
}

export interface UsageRecord {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
}

export class StatsCounter {
  totalRequests = 0;
  abortedRequests = 0;
  openConnections = 0;
  hangingRequests = 0;
  private readonly byRoute = new Map<string, number>();
  private readonly byModel = new Map<string, ModelStats>();
  private readonly byFault = new Map<FaultName, number>();

  route(path: string) {
    this.totalRequests++;
    this.byRoute.set(path, (this.byRoute.get(path) ?? 0) + 1);
  }

  private model(name: string, card: ModelCard): ModelStats {
    let entry = this.byModel.get(name);
    if (!entry) {
      entry = {
        requests: 0,
        faults: {},
        inputTokens: 0,
        cachedInputTokens: 0,
        cacheWriteTokens: 0,
        outputTokens: 0,
        costUsd: null,
        prices: {
          inputPerMTok: card.priceInputPerMTok ?? null,
          cachedInputPerMTok: card.priceCachedInputPerMTok ?? card.priceInputPerMTok ?? null,
          outputPerMTok: card.priceOutputPerMTok ?? null,
        },
      };
      this.byModel.set(name, entry);
    }
    return entry;
  }

  request(model: string, card: ModelCard, fault: FaultName | null) {
    const entry = this.model(model, card);
    entry.requests++;
    if (fault) {
      entry.faults[fault] = (entry.faults[fault] ?? 0) + 1;
      this.byFault.set(fault, (this.byFault.get(fault) ?? 0) + 1);
    }
  }

  usage(model: string, card: ModelCard, usage: UsageRecord) {
    const entry = this.model(model, card);
    entry.inputTokens += usage.inputTokens;
    entry.cachedInputTokens += usage.cachedInputTokens;
    entry.cacheWriteTokens += usage.cacheWriteTokens;
    entry.outputTokens += usage.outputTokens;
    const { inputPerMTok, cachedInputPerMTok, outputPerMTok } = entry.prices;
    if (inputPerMTok !== null || outputPerMTok !== null) {
      const uncached = usage.inputTokens - usage.cachedInputTokens;
      const cost =
        (uncached * (inputPerMTok ?? 0) + usage.cachedInputTokens * (cachedInputPerMTok ?? 0) + usage.outputTokens * (outputPerMTok ?? 0)) /
        1e6;
      entry.costUsd = (entry.costUsd ?? 0) + cost;
    }
  }

  snapshot(promptCacheEntries: number): SimulatorStats {
    return {
      totalRequests: this.totalRequests,
      byRoute: Object.fromEntries(this.byRoute),
      byModel: Object.fromEntries([...this.byModel].map(([k, v]) => [k, structuredClone(v)])),
      byFault: Object.fromEntries(this.byFault),
      openConnections: this.openConnections,
      hangingRequests: this.hangingRequests,
      abortedRequests: this.abortedRequests,
      promptCacheEntries,
    };
  }
}
