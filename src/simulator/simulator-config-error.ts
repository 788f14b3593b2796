/**
 * The error `startSimulator` throws for an invalid config: it names the offending field (e.g.
 * `models.gpt-x.faults.hang`) so a typo in a sim.json file is found at once.
 */
export class SimulatorConfigError extends Error {
  readonly kind = "simulator_config" as const;
  constructor(
    /** Dotted path of the bad field, e.g. "models.fast.tokensPerSecond". */
    readonly field: string,
    readonly reason: string,
  ) {
    super(`Invalid simulator config: ${field} ${reason}`);
    this.name = "SimulatorConfigError";
  }
}
