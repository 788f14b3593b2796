/** The provider could not be reached, or the connection dropped before a reply (reset, refused, DNS). */
import { BallastError } from "./ballast-error.js";

export class ConnectionError extends BallastError<"connection"> {
  constructor(message: string, options?: { cause?: unknown }) {
    super("connection", message, options);
  }
}
