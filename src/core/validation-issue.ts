/** One reason a value failed its schema, with the path to the field. */
export interface ValidationIssue {
  /** Path to the offending field, e.g. ["topics", 2]. */
  path: Array<string | number>;
  message: string;
}
