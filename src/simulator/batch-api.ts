/**
 * The providers' Batch APIs, simulated: OpenAI Files (multipart upload, content download) + Batches, and
 * Anthropic Message Batches with their results. Each row is answered by the simulator's own chat route over
 * loopback (same answers, faults and usage as a live call, not held to the rate limits), with a configurable
 * completion time, per-row server errors and expiry (the last rows of an expiring batch are never answered).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { BatchConfig } from "./batch-config.js";
import { hashParts, Rng } from "./random.js";
import { sendJson } from "./reply.js";

interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: string;
  createdAt: number;
}

interface RowOutcome {
  customId: string;
  kind: "succeeded" | "errored" | "expired";
  status?: number;
  body?: unknown;
  requestId?: string;
}

interface SimBatch {
  id: string;
  protocol: "openai" | "anthropic";
  seq: number;
  createdAt: number;
  inputFileId?: string;
  endpoint: string;
  total: number;
  outcomes: RowOutcome[];
  processing: boolean;
  outputFileId?: string;
  errorFileId?: string;
  endedAt?: number;
}

const ROW_CONCURRENCY = 8;
const sec = (ms: number) => Math.floor(ms / 1000);

export class BatchApi {
  private readonly files = new Map<string, StoredFile>();
  private readonly batches = new Map<string, SimBatch>();
  private counter = 0;

  constructor(
    private readonly config: BatchConfig,
    private readonly seed: number,
    /** The simulator's own base URL (known once it listens). */
    private readonly selfUrl: () => string,
  ) {}

  /** True when the request is for a Batch API route (answered here). */
  handles(method: string, path: string): boolean {
    return /^\/v1\/(files|batches|messages\/batches)(\/|$)/.test(path) && (method === "GET" || method === "POST");
  }

  async handle(req: IncomingMessage, res: ServerResponse, raw: string, path: string) {
    const method = req.method ?? "GET";
    const parts = path.split("/").filter(Boolean); // ["v1", "files", id, "content"]
    if (parts[1] === "files") {
      if (method === "POST" && parts.length === 2) return this.upload(req, res, raw);
      const file = this.files.get(parts[2] ?? "");
      if (!file) return notFound(res, "openai", `No such File object: ${parts[2]}`);
      if (parts[3] === "content") {
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": Buffer.byteLength(file.content) });
        return res.end(file.content);
      }
      return sendJson(res, 200, this.fileObject(file), {});
    }
    if (parts[1] === "batches") {
      if (method === "POST" && parts.length === 2) return this.createOpenAI(res, raw);
      const batch = this.batches.get(parts[2] ?? "");
      if (batch === undefined || batch.protocol !== "openai") return notFound(res, "openai", `No batch found with id '${parts[2]}'.`);
      return sendJson(res, 200, this.openAIObject(batch), {});
    }
    // /v1/messages/batches[/id[/results]]
    if (method === "POST" && parts.length === 3) return this.createAnthropic(res, raw);
    const batch = this.batches.get(parts[3] ?? "");
    if (batch === undefined || batch.protocol !== "anthropic") return notFound(res, "anthropic", `No batch found with id '${parts[3]}'`);
    if (parts[4] === "results") {
      if (!this.ended(batch)) return sendJson(res, 400, anthropicErrorBody("Batch is still processing"), {});
      const text = batch.outcomes.map((o) => JSON.stringify(anthropicResult(o))).join("\n");
      res.writeHead(200, { "content-type": "application/binary", "content-length": Buffer.byteLength(text) });
      return res.end(text);
    }
    return sendJson(res, 200, this.anthropicObject(batch), {});
  }

  private newId(prefix: string) {
    return `${prefix}${(++this.counter).toString(36).padStart(8, "0")}`;
  }

  private async upload(req: IncomingMessage, res: ServerResponse, raw: string) {
    const form = await new Request("http://sim/upload", {
      method: "POST",
      headers: { "content-type": String(req.headers["content-type"] ?? "") },
      body: raw,
    })
      .formData()
      .catch(() => null);
    const file = form?.get("file");
    if (!form || !file || typeof file === "string") return badRequest(res, "openai", "Missing required parameter: 'file'.");
    const stored: StoredFile = {
      id: this.newId("file-sim"),
      filename: (file as File).name || "batch.jsonl",
      purpose: String(form.get("purpose") ?? "batch"),
      content: await (file as Blob).text(),
      createdAt: Date.now(),
    };
    this.files.set(stored.id, stored);
    sendJson(res, 200, this.fileObject(stored), {});
  }

  private fileObject(f: StoredFile) {
    return {
      id: f.id,
      object: "file",
      bytes: Buffer.byteLength(f.content),
      created_at: sec(f.createdAt),
      filename: f.filename,
      purpose: f.purpose,
      status: "processed",
    };
  }

  private createOpenAI(res: ServerResponse, raw: string) {
    let body: { input_file_id?: string; endpoint?: string; completion_window?: string };
    try {
      body = JSON.parse(raw);
    } catch {
      return badRequest(res, "openai", "We could not parse the JSON body of your request.");
    }
    const file = this.files.get(body.input_file_id ?? "");
    if (!file) return badRequest(res, "openai", `Invalid 'input_file_id': '${body.input_file_id}'.`);
    const endpoint = body.endpoint ?? "/v1/chat/completions";
    const lines = file.content.split("\n").filter((l) => l.trim() !== "");
    const rows: Array<{ customId: string; body: unknown }> = [];
    for (const [i, line] of lines.entries()) {
      try {
        const r = JSON.parse(line) as { custom_id: string; body: unknown };
        rows.push({ customId: String(r.custom_id), body: r.body });
      } catch {
        return badRequest(res, "openai", `Line ${i + 1} of the input file is not valid JSON.`);
      }
    }
    const batch = this.start("openai", endpoint, rows);
    batch.inputFileId = file.id;
    sendJson(res, 200, this.openAIObject(batch), {});
  }

  private createAnthropic(res: ServerResponse, raw: string) {
    let body: { requests?: Array<{ custom_id: string; params: unknown }> };
    try {
      body = JSON.parse(raw);
    } catch {
      return badRequest(res, "anthropic", "invalid JSON body");
    }
    if (!Array.isArray(body.requests) || body.requests.length === 0)
      return badRequest(res, "anthropic", "requests: must be a non-empty list");
    const batch = this.start(
      "anthropic",
      "/v1/messages",
      body.requests.map((r) => ({ customId: String(r.custom_id), body: r.params })),
    );
    sendJson(res, 200, this.anthropicObject(batch), {});
  }

  /** Registers a batch and answers its rows in the background. */
  private start(protocol: "openai" | "anthropic", endpoint: string, rows: Array<{ customId: string; body: unknown }>): SimBatch {
    const seq = this.batches.size + 1;
    const batch: SimBatch = {
      id: this.newId(protocol === "openai" ? "batch_sim" : "msgbatch_sim"),
      protocol,
      seq,
      createdAt: Date.now(),
      endpoint,
      total: rows.length,
      outcomes: [],
      processing: true,
    };
    this.batches.set(batch.id, batch);
    const expires = seq <= (this.config.expireBatches ?? 0);
    const answered = expires ? Math.floor(rows.length * (1 - (this.config.expiredShare ?? 0.5))) : rows.length;
    const rng = new Rng(hashParts(this.seed, "batch", seq));
    void this.process(batch, rows.slice(0, answered), rng).then(() => {
      for (const row of rows.slice(answered)) batch.outcomes.push({ customId: row.customId, kind: "expired" });
      batch.processing = false;
    });
    return batch;
  }

  private async process(batch: SimBatch, rows: Array<{ customId: string; body: unknown }>, rng: Rng) {
    const failing = rows.map(() => rng.next() < (this.config.rowFailureRate ?? 0));
    let next = 0;
    const worker = async () => {
      while (next < rows.length) {
        const i = next++;
        const row = rows[i] as { customId: string; body: unknown };
        if (failing[i]) {
          batch.outcomes.push({
            customId: row.customId,
            kind: "errored",
            status: 500,
            body: { error: { type: "api_error", message: "The server had an error while processing the request." } },
          });
          continue;
        }
        try {
          const headers: Record<string, string> = { "content-type": "application/json", "x-ballast-batch": batch.id };
          if (batch.protocol === "anthropic") headers["anthropic-version"] = "2023-06-01";
          const r = await fetch(`${this.selfUrl()}${batch.endpoint}`, { method: "POST", headers, body: JSON.stringify(row.body) });
          const body = await r.json();
          const requestId = r.headers.get("x-request-id") ?? r.headers.get("request-id") ?? undefined;
          batch.outcomes.push({ customId: row.customId, kind: r.ok ? "succeeded" : "errored", status: r.status, body, requestId });
        } catch (error) {
          batch.outcomes.push({ customId: row.customId, kind: "errored", status: 500, body: { error: { message: String(error) } } });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROW_CONCURRENCY, rows.length) }, worker));
  }

  /** Ended when every row has an outcome and the configured completion time has passed. */
  private ended(batch: SimBatch): boolean {
    if (batch.endedAt !== undefined) return true;
    if (batch.processing || Date.now() < batch.createdAt + (this.config.completionMs ?? 0)) return false;
    batch.endedAt = Date.now();
    if (batch.protocol === "openai") this.writeOpenAIFiles(batch);
    return true;
  }

  private writeOpenAIFiles(batch: SimBatch) {
    const ok = batch.outcomes.filter((o) => o.kind === "succeeded");
    const bad = batch.outcomes.filter((o) => o.kind !== "succeeded");
    const line = (o: RowOutcome) =>
      JSON.stringify({
        id: this.newId("batch_req_"),
        custom_id: o.customId,
        response: o.kind === "expired" ? null : { status_code: o.status, request_id: o.requestId ?? "", body: o.body },
        error:
          o.kind === "expired"
            ? { code: "batch_expired", message: "This request could not be executed before the completion window expired." }
            : null,
      });
    const store = (rows: RowOutcome[], name: string) => {
      if (rows.length === 0) return undefined;
      const f: StoredFile = {
        id: this.newId("file-sim"),
        filename: name,
        purpose: "batch_output",
        content: `${rows.map(line).join("\n")}\n`,
        createdAt: Date.now(),
      };
      this.files.set(f.id, f);
      return f.id;
    };
    batch.outputFileId = store(ok, `${batch.id}_output.jsonl`);
    batch.errorFileId = store(bad, `${batch.id}_error.jsonl`);
  }

  private openAIObject(b: SimBatch) {
    const ended = this.ended(b);
    const expired = ended && b.outcomes.some((o) => o.kind === "expired");
    const status = !ended ? "in_progress" : expired ? "expired" : "completed";
    const completed = b.outcomes.filter((o) => o.kind === "succeeded").length;
    return {
      id: b.id,
      object: "batch",
      endpoint: b.endpoint,
      errors: null,
      input_file_id: b.inputFileId ?? "",
      completion_window: "24h",
      status,
      output_file_id: ended ? (b.outputFileId ?? null) : null,
      error_file_id: ended ? (b.errorFileId ?? null) : null,
      created_at: sec(b.createdAt),
      in_progress_at: sec(b.createdAt),
      expires_at: sec(b.createdAt + 86_400_000),
      completed_at: status === "completed" ? sec(b.endedAt as number) : null,
      expired_at: status === "expired" ? sec(b.endedAt as number) : null,
      failed_at: null,
      cancelled_at: null,
      request_counts: { total: b.total, completed, failed: b.outcomes.length - completed },
      metadata: null,
    };
  }

  private anthropicObject(b: SimBatch) {
    const ended = this.ended(b);
    const count = (k: RowOutcome["kind"]) => b.outcomes.filter((o) => o.kind === k).length;
    return {
      id: b.id,
      type: "message_batch",
      processing_status: ended ? "ended" : "in_progress",
      request_counts: {
        processing: ended ? 0 : b.total - count("succeeded") - count("errored"),
        succeeded: count("succeeded"),
        errored: count("errored"),
        canceled: 0,
        expired: ended ? count("expired") : 0,
      },
      ended_at: ended ? new Date(b.endedAt as number).toISOString() : null,
      created_at: new Date(b.createdAt).toISOString(),
      expires_at: new Date(b.createdAt + 86_400_000).toISOString(),
      archived_at: null,
      cancel_initiated_at: null,
      results_url: ended ? `${this.selfUrl()}/v1/messages/batches/${b.id}/results` : null,
    };
  }
}

function anthropicResult(o: RowOutcome) {
  if (o.kind === "succeeded") return { custom_id: o.customId, result: { type: "succeeded", message: o.body } };
  if (o.kind === "expired") return { custom_id: o.customId, result: { type: "expired" } };
  const inner = (o.body as { error?: { type?: string; message?: string } } | undefined)?.error;
  return {
    custom_id: o.customId,
    result: { type: "errored", error: { type: "error", error: { type: inner?.type ?? "api_error", message: inner?.message ?? "error" } } },
  };
}

function anthropicErrorBody(message: string, type = "invalid_request_error") {
  return { type: "error", error: { type, message } };
}

function badRequest(res: ServerResponse, protocol: "openai" | "anthropic", message: string) {
  sendJson(
    res,
    400,
    protocol === "openai" ? { error: { message, type: "invalid_request_error", param: null, code: null } } : anthropicErrorBody(message),
    {},
  );
}

function notFound(res: ServerResponse, protocol: "openai" | "anthropic", message: string) {
  sendJson(
    res,
    404,
    protocol === "openai"
      ? { error: { message, type: "invalid_request_error", param: null, code: null } }
      : anthropicErrorBody(message, "not_found_error"),
    {},
  );
}
