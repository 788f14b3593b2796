/**
 * JSON Pointer (RFC 6901) in one place: escaping and unescaping of segments, splitting a pointer, and
 * following a local `$ref` ("#/$defs/Item") through a document. Schema references, validation paths,
 * partial-snapshot paths and the simulator all use these, so "~0"/"~1" and percent-encoding are decoded
 * the same way everywhere.
 *
 * @example
 * pointerOf(["a/b", 0]);                 // "/a~1b/0"
 * pointerSegments("/a~1b/0");           // ["a/b", "0"]
 * resolveLocalRef(schema, "#/$defs/Item"); // the Item definition, or undefined
 */

/** Escapes one segment ("~" -> "~0", "/" -> "~1"); numbers are array indices. */
export function escapeSegment(segment: string | number): string {
  if (typeof segment === "number") return String(segment);
  return segment.includes("~") || segment.includes("/") ? segment.replace(/~/g, "~0").replace(/\//g, "~1") : segment;
}

/** Reverses `escapeSegment` ("~1" -> "/", then "~0" -> "~", in that order as the RFC asks). */
export function unescapeSegment(segment: string): string {
  return segment.includes("~") ? segment.replace(/~1/g, "/").replace(/~0/g, "~") : segment;
}

/** The pointer for a path: [] -> "", ["a", 0] -> "/a/0". */
export function pointerOf(path: ReadonlyArray<string | number>): string {
  let out = "";
  for (const segment of path) out += `/${escapeSegment(segment)}`;
  return out;
}

/** The unescaped segments of a pointer: "" -> [], "/a~1b/0" -> ["a/b", "0"]. A missing leading "/" is tolerated. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return pointer === "/" ? [""] : [];
  return (pointer.startsWith("/") ? pointer.slice(1) : pointer).split("/").map(unescapeSegment);
}

/**
 * The segments of a local reference ("#", "#/$defs/It%25em"), percent-decoded then unescaped; null for
 * a reference to another document.
 */
export function refSegments(ref: string): string[] | null {
  if (ref === "#") return [];
  if (!ref.startsWith("#/")) return null;
  return ref
    .slice(2)
    .split("/")
    .map((raw) => unescapeSegment(raw.includes("%") ? safeDecode(raw) : raw));
}

/** What a local reference points at inside `root`, or undefined when it does not resolve. */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  const segments = refSegments(ref);
  if (segments === null) return undefined;
  let node: unknown = root;
  for (const segment of segments) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
