/** Options and result of coerce(), shared by the entry point and the candidate chooser.
 * The recovery pipeline fills CoerceOptions from what its parser saw (reply text, alternatives, repairs). */

export interface CoerceOptions {
  /** "partial": the value may be incomplete (streaming); missing required fields become null. Default "final". */
  mode?: "final" | "partial";
  /**
   * The whole reply the value was recovered from. Lets a string schema take the reply verbatim, and lets
   * scalar schemas read prose ("The answer is TWO") when the parser found no JSON (pass value `undefined`)
   * or needed repairs to find it.
   */
  text?: string;
  /** Further values found in the reply (other fences, other top-level values), in document order. */
  alternatives?: readonly unknown[];
  /** The repair steps the parser applied to get `value`; each makes reading the raw text relatively likelier. */
  repairs?: readonly string[];
  /** Deepest nesting coerced before failing (bounds the stack). Default 512. */
  maxDepth?: number;
  /**
   * The text an object or array of `value` was written as in the reply, when the parser kept it: a string
   * field that got structure it cannot unwrap (`props: {title: string}` for a string) takes that text.
   */
  source?: ((node: object) => string | undefined) | undefined;
  /**
   * Whether a member of an object of `value` was written with no value at all (`"count": ,`), which the
   * parser reads as null: a field that cannot be null then gets its default, or the empty value of its type.
   */
  valueless?: ((node: object, key: string) => boolean) | undefined;
}

export type CoerceResult = { ok: true; value: unknown; steps: string[] } | { ok: false; error: string; steps: string[] };
