/**
 * Snapshots of one streaming attempt: the incremental parser's live value mirrored into copies that are
 * checked against the schema's deep-partial form and never mutated once handed out (structural sharing).
 * Only the open right edge of the document is revisited, so the work over a whole stream stays O(n).
 */
import { escapeSegment, pointerSegments, type JsonSchema } from "../core/index.js";
import {
  allowsKind,
  branchFor,
  childSchema,
  growingStringShows,
  isUnion,
  kindOf,
  NEVER,
  scalarFits,
  undecidedChild,
} from "./partial-schema.js";

export interface SnapshotSource {
  /** The parser's value (the wire form: wrapped in `{ value }` when the schema's root is not an object). */
  value(): unknown;
  /** The parser's completed JSON-pointer paths, on the wire form. */
  complete: ReadonlySet<string>;
  /** Characters received so far: each one pays for a few copied entries, which keeps the total O(n). */
  length(): number;
}

export interface SnapshotSettings {
  /** The caller's schema as JSON Schema (unwrapped). */
  schema: JsonSchema;
  /** The wire value is `{ value: … }`: snapshots show the inner value. */
  wrapped: boolean;
  /** Ballast's own root fields (prompt feedback, leak flag): never shown. */
  extraFields: readonly string[];
  /** Paths (JSON pointer, `*` for any key or index) shown only once complete. */
  atomic: readonly string[];
}

export interface Snapshot {
  partial: unknown;
  done: ReadonlySet<string>;
}

/**
 * A snapshot copies the open containers on the document's right edge (unchanged parts are shared). A copy of
 * up to FREE_COPIES entries is always allowed; beyond that a snapshot waits until the text received since the
 * previous one pays COPIES_PER_CHAR entries per character, so a long array cannot make the stream quadratic.
 */
const FREE_COPIES = 64;
const COPIES_PER_CHAR = 2;
/** …or when this long passed since the previous one, so a slow stream still updates a long list promptly. */
export const SNAPSHOT_INTERVAL_MS = 50;
/** Deeper values are left out of snapshots (they still reach the final value). */
const MAX_DEPTH = 256;
const OMIT: unique symbol = Symbol("omit");
type Out = Record<string, unknown> | unknown[];

interface Trie {
  next: Map<string, Trie>;
  any: Trie | null;
  terminal: boolean;
}

function buildTrie(patterns: readonly string[]): Trie {
  const root: Trie = { next: new Map(), any: null, terminal: false };
  for (const pattern of patterns) {
    let node = root;
    const segments = pattern === "" ? [] : pointerSegments(pattern);
    for (const segment of segments) {
      if (segment === "*") node = node.any ??= { next: new Map(), any: null, terminal: false };
      else {
        let child = node.next.get(segment);
        if (!child) node.next.set(segment, (child = { next: new Map(), any: null, terminal: false }));
        node = child;
      }
    }
    node.terminal = true;
  }
  return root;
}

const NO_TRIES: readonly Trie[] = [];

function nextTries(tries: readonly Trie[], key: string | number): readonly Trie[] {
  if (tries.length === 0) return NO_TRIES;
  const out: Trie[] = [];
  const k = String(key);
  for (const t of tries) {
    const exact = t.next.get(k);
    if (exact) out.push(exact);
    if (t.any) out.push(t.any);
  }
  return out.length ? out : NO_TRIES;
}

const isAtomic = (tries: readonly Trie[]) => tries.some((t) => t.terminal);

function setKey(object: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  else object[key] = value;
}

/** An open container of the parser's value and the copy of it that snapshots show. */
class Node {
  out: Out;
  /** The current `out` was handed out: copy it before the next change. */
  shared = false;
  /** Arrays: elements before this index are final. */
  settled = 0;
  /** Objects: members that are final (or left out for good). */
  readonly settledKeys: Set<string> | null;
  /** Objects: members in `out` (what copying it costs). */
  width = 0;
  /** An array stops at its first element that does not fit, so indices stay those of the reply. */
  blocked = false;
  open: Node | null = null;
  openKey: string | number = "";
  // biome-ignore lint/complexity/useMaxParams: one Node per container of every streamed chunk; an options object would be a second allocation each
  constructor(
    readonly source: Out,
    /** Resolved branch; undefined = no constraint (or a union not yet decided). */
    public schema: JsonSchema | undefined,
    readonly rawSchema: JsonSchema | undefined,
    readonly path: string,
    readonly wirePath: string,
    readonly tries: readonly Trie[],
    readonly depth: number,
  ) {
    this.out = Array.isArray(source) ? [] : {};
    this.settledKeys = Array.isArray(source) ? null : new Set();
  }
}

/** Append-only log of completed paths; each snapshot sees a prefix of it, so taking a snapshot is O(1). */
class DoneLog {
  readonly paths: string[] = [];
  readonly index = new Map<string, number>();
  add(path: string): void {
    if (this.index.has(path)) return;
    this.index.set(path, this.paths.length);
    this.paths.push(path);
  }
}

class DoneView implements ReadonlySet<string> {
  constructor(
    private readonly log: DoneLog,
    readonly size: number,
  ) {}
  has(path: string): boolean {
    const i = this.log.index.get(path);
    return i !== undefined && i < this.size;
  }
  *values(): SetIterator<string> {
    for (let i = 0; i < this.size; i++) yield this.log.paths[i]!;
  }
  keys(): SetIterator<string> {
    return this.values();
  }
  [Symbol.iterator](): SetIterator<string> {
    return this.values();
  }
  *entries(): SetIterator<[string, string]> {
    for (const p of this.values()) yield [p, p];
  }
  forEach(callback: (value: string, key: string, set: ReadonlySet<string>) => void, thisArg?: unknown): void {
    for (const p of this.values()) callback.call(thisArg, p, p, this);
  }
}

/** Builds snapshots of one attempt on demand: each call costs the changes since the previous one. */
export class SnapshotBuilder {
  private readonly log = new DoneLog();
  private readonly tries: readonly Trie[];
  private root: Node | null = null;
  /** The value shown when the root is a scalar (a wrapped string, number…). */
  private scalar: unknown = undefined;
  private rootDone = false;
  private lastPartial: unknown = OMIT;
  private lastDone = -1;
  private takenAt = 0;
  private takenAtMs = 0;
  /** The last `take()` returned null because copying was not paid for yet (not because nothing changed). */
  deferred = false;

  constructor(
    private readonly source: SnapshotSource,
    private readonly settings: SnapshotSettings,
  ) {
    this.tries = settings.atomic.length ? [buildTrie(settings.atomic)] : NO_TRIES;
  }

  /**
   * The latest snapshot, or null when nothing visible changed since the previous one (or, unless `force`,
   * when not enough text arrived since then to pay for copying the open containers).
   */
  take(force = false): Snapshot | null {
    this.deferred = false;
    if (!force) {
      let cost = 0;
      for (let n = this.root; n; n = n.open) cost += Array.isArray(n.out) ? n.out.length : n.width;
      if (
        cost > FREE_COPIES &&
        cost > (this.source.length() - this.takenAt) * COPIES_PER_CHAR &&
        performance.now() - this.takenAtMs < SNAPSHOT_INTERVAL_MS
      ) {
        this.deferred = true;
        return null;
      }
    }
    this.takenAt = this.source.length();
    this.takenAtMs = performance.now();
    this.refreshRoot();
    const partial = this.root ? this.root.out : this.scalar;
    for (let n = this.root; n; n = n.open) n.shared = true;
    if (partial === this.lastPartial && this.log.paths.length === this.lastDone) return null;
    this.lastPartial = partial;
    this.lastDone = this.log.paths.length;
    return { partial: partial === OMIT ? undefined : partial, done: new DoneView(this.log, this.log.paths.length) };
  }

  private refreshRoot(): void {
    if (this.rootDone) return;
    let value = this.source.value();
    const wirePath = this.settings.wrapped ? "/value" : "";
    if (this.settings.wrapped) {
      value = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>).value : undefined;
    }
    if (value === undefined) return;
    const complete = this.source.complete.has(wirePath);
    const schema = this.settings.schema;
    if (this.root && this.root.source === value) {
      this.refresh(this.root, complete);
      if (complete) this.finishRoot();
      return;
    }
    if (value !== null && typeof value === "object") {
      const kind = kindOf(value);
      if (complete) {
        const v = this.convert(value, schema, "", this.tries, 0);
        this.scalar = v === OMIT ? undefined : v;
        this.rootDone = true;
        return;
      }
      const s = branchFor(schema, value, schema, true);
      if (isAtomic(this.tries) || !allowsKind(s, kind)) return;
      this.root = new Node(value as Out, s, schema, "", wirePath, this.tries, 0);
      this.refresh(this.root, false);
      return;
    }
    const s = branchFor(schema, value, schema);
    if (complete) {
      this.scalar = scalarFits(value, s) ? value : undefined;
      if (this.scalar !== undefined) this.log.add("");
      this.rootDone = true;
    } else if (typeof value === "string" && !isAtomic(this.tries) && growingStringShows(value, s)) this.scalar = value;
  }

  private finishRoot(): void {
    this.log.add("");
    this.rootDone = true;
  }

  /** Brings `node.out` up to date with its source; true when `node.out` changed. */
  private refresh(node: Node, complete: boolean): boolean {
    if (node.schema === undefined && isUnion(node.rawSchema, this.settings.schema)) {
      node.schema = branchFor(node.rawSchema, node.source, this.settings.schema, !complete);
    }
    let changed = false;
    const source = node.source;
    if (Array.isArray(source)) {
      const n = source.length;
      for (let i = node.settled; i < n && !node.blocked; i++) {
        const final = complete || i < n - 1 || this.source.complete.has(`${node.wirePath}/${i}`);
        if (this.entry(node, i, source[i], final)) changed = true;
        if (!final) break;
      }
    } else {
      const settled = node.settledKeys!;
      for (const key of Object.keys(source)) {
        if (settled.has(key)) continue;
        const final = complete || this.source.complete.has(`${node.wirePath}/${escapeSegment(key)}`);
        if (this.entry(node, key, (source as Record<string, unknown>)[key], final)) changed = true;
      }
    }
    if (complete && node.open) {
      // cannot happen with a consistent parser; never leave a stale open child behind
      node.open = null;
    }
    return changed;
  }

  /** One member or element; true when `node.out` changed. */
  private entry(node: Node, key: string | number, child: unknown, final: boolean): boolean {
    const path = typeof key === "number" ? `${node.path}/${key}` : `${node.path}/${escapeSegment(key)}`;
    const open = node.open;
    if (open !== null && node.openKey === key && open.source === child) {
      this.refresh(open, final);
      if (final) {
        node.open = null;
        this.settle(node, key);
        this.log.add(open.path);
      }
      return this.write(node, key, open.out);
    }
    if (typeof key === "string" && node.depth === 0 && this.settings.extraFields.includes(key) && !this.settings.wrapped) {
      if (final) this.settle(node, key);
      return false;
    }
    const raw =
      node.schema === undefined && typeof key === "string" && isUnion(node.rawSchema, this.settings.schema)
        ? undecidedChild(node.rawSchema, key, this.settings.schema)
        : childSchema(node.schema, key);
    const tries = nextTries(node.tries, key);
    if (child !== null && typeof child === "object") {
      if (final) {
        this.settle(node, key);
        const v = this.convert(child, raw, path, tries, node.depth + 1);
        return v === OMIT ? this.omit(node, key) : this.write(node, key, v);
      }
      const s = branchFor(raw, child, this.settings.schema, true);
      if (isAtomic(tries) || node.depth + 1 > MAX_DEPTH || !allowsKind(s, kindOf(child))) return false;
      const next = new Node(
        child as Out,
        s,
        raw,
        path,
        `${node.wirePath}/${typeof key === "number" ? key : escapeSegment(key)}`,
        tries,
        node.depth + 1,
      );
      this.refresh(next, false);
      node.open = next;
      node.openKey = key;
      return this.write(node, key, next.out);
    }
    const s = branchFor(raw, child, this.settings.schema);
    if (final) {
      this.settle(node, key);
      if (!scalarFits(child, s)) return this.omit(node, key);
      this.log.add(path);
      return this.write(node, key, child);
    }
    if (typeof child !== "string" || isAtomic(tries) || !growingStringShows(child, s)) return this.hide(node, key);
    return this.write(node, key, child);
  }

  private settle(node: Node, key: string | number): void {
    if (typeof key === "number") node.settled = key + 1;
    else node.settledKeys!.add(key);
  }

  private own(node: Node): Out {
    if (node.shared) {
      node.out = Array.isArray(node.out) ? node.out.slice() : { ...node.out };
      node.shared = false;
    }
    return node.out;
  }

  private write(node: Node, key: string | number, value: unknown): boolean {
    const out = node.out as Record<string | number, unknown>;
    if (typeof key === "number") {
      if (key < (out as unknown as unknown[]).length && out[key] === value) return false;
    } else {
      const had = Object.hasOwn(out, key);
      if (had && out[key] === value) return false;
      if (!had) node.width++;
    }
    const mine = this.own(node);
    if (Array.isArray(mine)) mine[key as number] = value;
    else setKey(mine, key as string, value);
    return true;
  }

  /** Leaves a value out; in an array, everything from it on (indices stay the reply's). */
  private omit(node: Node, key: string | number): boolean {
    if (typeof key === "number") node.blocked = true;
    return this.hide(node, key);
  }

  /** Takes back a value still being written that may not show (yet): nothing is blocked. */
  private hide(node: Node, key: string | number): boolean {
    if (typeof key === "number") {
      if ((node.out as unknown[]).length <= key) return false;
      (this.own(node) as unknown[]).length = key;
      return true;
    }
    if (!Object.hasOwn(node.out, key)) return false;
    node.width--;
    delete (this.own(node) as Record<string, unknown>)[key];
    return true;
  }

  /** A complete value, copied and checked whole (each of its paths becomes done). */
  // biome-ignore lint/complexity/useMaxParams: recursive per value of every snapshot; an options object per value would allocate in the hot path
  private convert(value: unknown, raw: JsonSchema | undefined, path: string, tries: readonly Trie[], depth: number): unknown {
    if (depth > MAX_DEPTH) return OMIT;
    const s = branchFor(raw, value, this.settings.schema);
    if (value === null || typeof value !== "object") {
      if (!scalarFits(value, s)) return OMIT;
      this.log.add(path);
      return value;
    }
    if (Array.isArray(value)) {
      if (!allowsKind(s, "array")) return OMIT;
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const v = this.convert(value[i], childSchema(s, i), `${path}/${i}`, nextTries(tries, i), depth + 1);
        if (v === OMIT) break;
        out.push(v);
      }
      this.log.add(path);
      return out;
    }
    if (!allowsKind(s, "object") || s === NEVER) return OMIT;
    const out: Record<string, unknown> = {};
    const extras = depth === 0 && !this.settings.wrapped ? this.settings.extraFields : [];
    for (const key of Object.keys(value)) {
      if (extras.includes(key)) continue;
      const v = this.convert(
        (value as Record<string, unknown>)[key],
        childSchema(s, key),
        `${path}/${escapeSegment(key)}`,
        nextTries(tries, key),
        depth + 1,
      );
      if (v !== OMIT) setKey(out, key, v);
    }
    this.log.add(path);
    return out;
  }
}
