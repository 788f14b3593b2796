/** The provider's content filter stopped the reply. */
import { BallastError } from "./ballast-error.js";

export class ContentFilterError extends BallastError<"content_filter"> {
  constructor() {
    super("content_filter", "the provider's content filter stopped the reply");
  }
}
