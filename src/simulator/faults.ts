/**
 * Chooses the fault for one request: a scripted reply's fault, else the `x-ballast-sim` header (a fault
 * name or `none`), else a draw from the model card's probabilities (none when a script is being replayed).
 */
import { FAULT_NAMES, type FaultName, type ModelCard, type ScriptedReply } from "./config.js";
import { InvalidRequestError } from "./invalid-request-error.js";
import type { Rng } from "./random.js";

const FAULT_SET = new Set<string>(FAULT_NAMES);

/** Faults that end the request before any content is generated. */
export const TRANSPORT_FAULTS = new Set<FaultName>(["hang", "reset", "http429", "http500", "http502", "http503", "http529"]);

export function chooseFault(card: ModelCard, header: string | undefined, scripted: ScriptedReply | undefined, rng: Rng): FaultName | null {
  if (scripted?.fault) return scripted.fault;
  if (header !== undefined && header !== "") {
    const value = header.trim();
    if (value === "none") return null;
    if (!FAULT_SET.has(value)) {
      throw new InvalidRequestError(
        `x-ballast-sim: unknown fault '${value}' (use one of ${FAULT_NAMES.join(", ")} or none)`,
        "x-ballast-sim",
      );
    }
    return value as FaultName;
  }
  if (scripted || !card.faults) return null;
  const u = rng.next();
  let acc = 0;
  for (const name of FAULT_NAMES) {
    acc += card.faults[name] ?? 0;
    if (u < acc) return name;
  }
  return null;
}

/** The HTTP status of an HTTP-error fault, or undefined for other faults. */
export function faultStatus(fault: FaultName | null): number | undefined {
  switch (fault) {
    case "http429":
      return 429;
    case "http500":
      return 500;
    case "http502":
      return 502;
    case "http503":
      return 503;
    case "http529":
      return 529;
    default:
      return undefined;
  }
}
