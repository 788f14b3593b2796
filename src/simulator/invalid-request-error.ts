/**
 * A request the simulator rejects as the real API would: answered with a 400 invalid_request_error carrying
 * the message, and for OpenAI the `param` and `code` fields.
 */
export class InvalidRequestError extends Error {
  readonly kind = "invalid_request" as const;
  constructor(
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = "InvalidRequestError";
  }
}
