/**
 * Dollar cost of one attempt from its usage: the model's own `price` override wins, else the price
 * catalogue; null when neither knows the model (the "unknown price" marker, never a silent 0).
 */
import type { Price, Usage } from "../core/index.js";
import { catalogueCost, priceCost } from "./price-catalogue.js";

export function attemptCost(provider: string, modelId: string, usage: Usage, price?: Price): number | null {
  if (price) return priceCost(usage, price);
  return catalogueCost(provider, modelId, usage);
}

/** Sums attempt costs for a call: null as soon as one attempt's price is unknown. */
export function sumCosts(costs: Iterable<number | null>): number | null {
  let total = 0;
  for (const c of costs) {
    if (c === null) return null;
    total += c;
  }
  return total;
}
