/**
 * The `complete` set of the incremental parser, computed lazily: every path in the partial value is complete
 * except the containers still open and the string still growing, so nothing is allocated per value.
 */
import { escapeSegment, unescapeSegment } from "../core/index.js";

export interface OpenState {
  /** Root of the partial value (undefined before anything was read). */
  root(): unknown;
  /** Is this container still open (on the parser's stack)? */
  isOpen(container: object): boolean;
  /** The container holding a string that is still growing, and its key or index; null when none. */
  growing(): { container: object; key: string | number } | null;
}

/** A ReadonlySet<string> of JSON-pointer paths; `has` is O(depth), iteration walks the value once. */
export class CompletePaths implements ReadonlySet<string> {
  constructor(private readonly state: OpenState) {}

  has(path: string): boolean {
    let node: unknown = this.state.root();
    if (node === undefined) return false;
    if (path !== "" && !path.startsWith("/")) return false;
    const segments = path === "" ? [] : path.slice(1).split("/").map(unescapeSegment);
    let parent: object | null = null;
    let last: string | number = "";
    for (const segment of segments) {
      if (node === null || typeof node !== "object") return false;
      parent = node;
      if (Array.isArray(node)) {
        if (!/^(0|[1-9]\d*)$/.test(segment)) return false;
        last = Number(segment);
        if (last >= node.length) return false;
        node = node[last];
      } else {
        if (!Object.hasOwn(node, segment)) return false;
        last = segment;
        node = (node as Record<string, unknown>)[segment];
      }
    }
    if (node !== null && typeof node === "object" && this.state.isOpen(node)) return false;
    const growing = this.state.growing();
    if (growing !== null) {
      if (parent !== null && growing.container === parent && growing.key === last) return false;
    }
    return true;
  }

  private *walk(): Generator<string> {
    const root = this.state.root();
    if (root === undefined) return;
    const growing = this.state.growing();
    const pending: Array<[unknown, string, object | null, string | number]> = [[root, "", null, ""]];
    while (pending.length > 0) {
      const [node, path, parent, key] = pending.pop()!;
      if (node !== null && typeof node === "object") {
        const entries = Array.isArray(node) ? node.map((v, i) => [i, v] as const) : Object.entries(node);
        for (let i = entries.length - 1; i >= 0; i--) {
          const [k, v] = entries[i]!;
          pending.push([v, `${path}/${escapeSegment(k)}`, node, k]);
        }
        if (this.state.isOpen(node)) continue;
      } else if (growing !== null && growing.container === parent && growing.key === key) continue;
      yield path;
    }
  }

  get size(): number {
    let n = 0;
    for (const _ of this.walk()) n++;
    return n;
  }

  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const path of this.walk()) callback.call(thisArg, path, path, this);
  }

  [Symbol.iterator](): SetIterator<string> {
    return this.walk() as SetIterator<string>;
  }

  keys(): SetIterator<string> {
    return this.walk() as SetIterator<string>;
  }

  values(): SetIterator<string> {
    return this.walk() as SetIterator<string>;
  }

  *entries(): SetIterator<[string, string]> {
    for (const path of this.walk()) yield [path, path];
  }
}
