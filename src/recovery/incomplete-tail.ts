/**
 * A reply cut off mid-value leaves its last element incomplete: `[{"name": "Ann", "age": 3}, {"name": "Bo`.
 * The cut lies on the value's rightmost path (the last element of each container down from the top), so
 * the candidates here are the value without the last element of one array on that path, deepest first.
 * recover() tries them, with the schema, only when the whole value failed it. A member cut right after its
 * colon has no value at all: with a schema, it is left out rather than given an invented null.
 */

const MAX_DEPTH = 256;

function lastChild(node: unknown): unknown {
  if (Array.isArray(node)) return node.length > 0 ? node[node.length - 1] : undefined;
  if (node !== null && typeof node === "object") {
    const keys = Object.keys(node);
    return keys.length > 0 ? (node as Record<string, unknown>)[keys[keys.length - 1]!] : undefined;
  }
  return undefined;
}

/** A shallow copy of `node` with its last element (array) or last member's value (object) replaced. */
function withLast(node: unknown, child: unknown): unknown {
  if (Array.isArray(node)) {
    const copy = node.slice();
    copy[copy.length - 1] = child;
    return copy;
  }
  const object = node as Record<string, unknown>;
  const keys = Object.keys(object);
  const copy: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = i === keys.length - 1 ? child : object[key];
    Object.defineProperty(copy, key, { value, writable: true, enumerable: true, configurable: true });
  }
  return copy;
}

/** The value without the incomplete last element of each array on its rightmost path, deepest array first. */
export function withoutIncompleteTail(value: unknown): unknown[] {
  const spine: unknown[] = [];
  for (let node = value; node !== null && typeof node === "object" && spine.length < MAX_DEPTH; node = lastChild(node)) {
    spine.push(node);
  }
  const candidates: unknown[] = [];
  for (let k = spine.length - 1; k >= 0; k--) {
    const array = spine[k];
    if (!Array.isArray(array) || array.length === 0) continue;
    let rebuilt: unknown = array.slice(0, -1);
    for (let j = k - 1; j >= 0; j--) rebuilt = withLast(spine[j], rebuilt);
    candidates.push(rebuilt);
  }
  return candidates;
}

/**
 * `{"a": {"b": "c", "d":` cut right after a colon: the last member on the rightmost path has no value yet
 * (the scanner's null). The value without that member; null when the text does not end that way.
 */
export function withoutValuelessMember(value: unknown, text: string): unknown | null {
  if (!text.trimEnd().endsWith(":")) return null;
  const spine: unknown[] = [];
  for (let node = value; node !== null && typeof node === "object" && spine.length < MAX_DEPTH; node = lastChild(node)) {
    spine.push(node);
  }
  const owner = spine[spine.length - 1];
  if (owner === undefined || Array.isArray(owner)) return null;
  const keys = Object.keys(owner as object);
  const last = keys[keys.length - 1];
  if (last === undefined || (owner as Record<string, unknown>)[last] !== null) return null;
  let rebuilt: unknown = {};
  for (const key of keys.slice(0, -1)) {
    Object.defineProperty(rebuilt, key, {
      value: (owner as Record<string, unknown>)[key],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  for (let j = spine.length - 2; j >= 0; j--) rebuilt = withLast(spine[j], rebuilt);
  return rebuilt;
}
