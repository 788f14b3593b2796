/**
 * A standard `Response` whose body was already read in full into memory: `text()`, `json()`, `bytes()`,
 * `arrayBuffer()` and `blob()` answer from the held bytes without a WHATWG stream (building one per reply,
 * then reading it back through a reader, was the larger part of Node's fetch CPU per JSON reply, measured
 * by bench/transport). `body` still hands out a ReadableStream, made on first access (reading it uses the
 * body). The body can be consumed once, as with any Response.
 */
export class HeldResponse extends Response {
  readonly #bytes: Buffer;
  readonly #url: string;
  #used = false;
  #stream: ReadableStream<Uint8Array<ArrayBuffer>> | undefined;

  constructor(bytes: Buffer, init: ResponseInit, url: string) {
    super(null, init);
    this.#bytes = bytes;
    this.#url = url;
  }

  override get url(): string {
    return this.#url;
  }

  override get body(): ReadableStream<Uint8Array<ArrayBuffer>> | null {
    if (this.#stream === undefined) {
      // Handing out the stream does not use the body; reading it does (and it can be read only once).
      const take = () => this.#take();
      // highWaterMark 0: pull runs on a read, not to fill the queue as soon as the stream exists
      this.#stream = new ReadableStream<Uint8Array<ArrayBuffer>>(
        {
          pull(controller) {
            controller.enqueue(new Uint8Array(take()));
            controller.close();
          },
        },
        { highWaterMark: 0 },
      );
    }
    return this.#stream;
  }

  override get bodyUsed(): boolean {
    return this.#used;
  }

  #take(): Buffer {
    if (this.#used) throw new TypeError("Body is unusable: Body has already been read");
    this.#used = true;
    return this.#bytes;
  }

  /** UTF-8 decoding as fetch does it: a leading byte order mark is dropped. */
  #string(): string {
    const b = this.#take();
    const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
    return b.toString("utf8", bom ? 3 : 0);
  }

  override async text(): Promise<string> {
    return this.#string();
  }

  override async json(): Promise<unknown> {
    return JSON.parse(this.#string());
  }

  override async bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return new Uint8Array(this.#take());
  }

  override async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.#take();
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }

  override async blob(): Promise<Blob> {
    return new Blob([new Uint8Array(this.#take())], { type: this.headers.get("content-type") ?? "" });
  }

  override clone(): Response {
    if (this.#used) throw new TypeError("Response.clone: Body has already been consumed.");
    return new HeldResponse(this.#bytes, { status: this.status, statusText: this.statusText, headers: this.headers }, this.#url);
  }
}
