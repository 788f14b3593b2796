/**
 * Why an input cannot be put in a prompt: undefined, a function or symbol, a BigInt anywhere, or a circular
 * reference, each named by its path (`input.items[2].id`). One home for the client's check before a call and
 * the batch runner's check of a row it could not hash.
 */

/** What makes `input` unsendable, or null. Strings, the common case, return at once. */
export function inputProblem(input: unknown): string | null {
  if (typeof input === "string") return null;
  if (input === undefined) return "input is undefined: pass the text or value the model should work on";
  const path: unknown[] = [];
  const visit = (v: unknown, at: string): string | null => {
    switch (typeof v) {
      case "bigint":
        return `${at} is a BigInt, which JSON cannot hold: convert it to a string or a number`;
      case "function":
      case "symbol":
        // dropped by JSON inside objects, like JSON.stringify does
        return path.length === 0 ? `${at} is a ${typeof v}, which cannot be sent to a model` : null;
      case "object": {
        if (v === null) return null;
        if (path.includes(v)) return `${at} refers back to one of its parents (a circular reference): it cannot be sent as JSON`;
        if (typeof (v as { toJSON?: unknown }).toJSON === "function") return null;
        path.push(v);
        const entries: Array<[string, unknown]> = Array.isArray(v)
          ? v.map((item, i) => [`${at}[${i}]`, item])
          : Object.entries(v).map(([k, item]) => [/^[A-Za-z_$][\w$]*$/.test(k) ? `${at}.${k}` : `${at}[${JSON.stringify(k)}]`, item]);
        for (const [p, item] of entries) {
          const problem = visit(item, p);
          if (problem !== null) return problem;
        }
        path.pop();
        return null;
      }
      default:
        return null;
    }
  };
  return visit(input, "input");
}
