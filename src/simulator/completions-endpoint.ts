/**
 * `POST /v1/completions` (the legacy text completions API): seeded prose for each prompt and choice, cut
 * at `max_tokens` (default 16, as the API), usage counted; `stream: true` sends it as one chunk then [DONE].
 */
import { InvalidRequestError } from "./invalid-request-error.js";
import { Rng, hashParts } from "./random.js";
import { sendError, sendJson } from "./reply.js";
import type { RouteContext } from "./routes.js";
import { countTokens, truncateToTokens } from "./tokens.js";
import { paragraph } from "./words.js";

export function completionsEndpoint(c: RouteContext) {
  const body = c.body as Record<string, unknown>;
  const model = typeof body.model === "string" ? body.model : "";
  try {
    if (model === "") throw new InvalidRequestError("you must provide a model parameter", "model");
    const prompts = typeof body.prompt === "string" ? [body.prompt] : Array.isArray(body.prompt) ? body.prompt.map(String) : null;
    if (!prompts || prompts.length === 0) throw new InvalidRequestError("Missing required parameter: 'prompt'.", "prompt");
    const maxTokens = body.max_tokens === undefined || body.max_tokens === null ? 16 : Number(body.max_tokens);
    const n = body.n === undefined ? 1 : Number(body.n);
    if (!Number.isInteger(maxTokens) || maxTokens < 0)
      throw new InvalidRequestError("Invalid 'max_tokens': must be a non-negative integer.", "max_tokens");
    if (!Number.isInteger(n) || n < 1 || n > 128) throw new InvalidRequestError("Invalid 'n': integer must be between 1 and 128.", "n");
    let promptTokens = 0;
    let completionTokens = 0;
    const choices = prompts.flatMap((prompt, p) => {
      promptTokens += countTokens(prompt);
      return Array.from({ length: n }, (_, k) => {
        const full = ` ${paragraph(new Rng(hashParts(c.state.config.seed, model, prompt, k)), 3)}`;
        const text = truncateToTokens(full, maxTokens);
        completionTokens += countTokens(text);
        return { text, index: p * n + k, logprobs: null, finish_reason: text === full ? "stop" : "length" };
      });
    });
    const completion = {
      id: c.requestId.replace(/^chatcmpl-/, "cmpl-"),
      object: "text_completion",
      created: Math.floor(Date.now() / 1000),
      model,
      choices,
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
    };
    if (body.stream === true) {
      c.res.writeHead(200, {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache",
        "x-request-id": c.requestId,
      });
      c.res.end(`data: ${JSON.stringify({ ...completion, usage: null })}\n\ndata: [DONE]\n\n`);
      return;
    }
    sendJson(c.res, 200, completion, { "x-request-id": c.requestId });
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    sendError(c.res, "openai", {
      status: 400,
      requestId: c.requestId,
      model,
      message: error.message,
      param: error.param,
      code: error.code,
    });
  }
}
