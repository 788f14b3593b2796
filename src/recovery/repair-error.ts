/**
 * The typed failure raised inside the scanner when text cannot be repaired without inventing data.
 * It never leaves the public API: recover() turns it into `{ ok: false, error }`.
 */
export class RepairError extends Error {
  readonly kind = "repair" as const;
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = "RepairError";
  }
}
