/**
 * Where the scanner found each object and array of a reply, so that a schema wanting text where the model
 * wrote structure can take what was written. Appended to while scanning (plain array pushes, cheap on the hot
 * path) and indexed only on the first lookup, which most replies never make.
 */
export class WrittenSpans {
  private readonly nodes: object[] = [];
  private readonly texts: string[] = [];
  /** start, end (exclusive) per node, flat. */
  private readonly bounds: number[] = [];
  private index: Map<object, number> | null = null;

  add(node: object, text: string, start: number, end: number): void {
    this.nodes.push(node);
    this.texts.push(text);
    this.bounds.push(start, end);
  }

  /** The text `node` was written as, trailing blanks left out; undefined when the scanner did not build it. */
  textOf(node: object): string | undefined {
    if (this.index === null) {
      this.index = new Map();
      for (let k = 0; k < this.nodes.length; k++) this.index.set(this.nodes[k]!, k);
    }
    const k = this.index.get(node);
    if (k === undefined) return undefined;
    return this.texts[k]!.slice(this.bounds[2 * k]!, this.bounds[2 * k + 1]!).trimEnd();
  }
}
