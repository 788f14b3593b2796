/**
 * `POST /v1/embeddings`: deterministic unit vectors, float or base64 (the OpenAI SDK asks for base64 and
 * decodes). Each vector is the normalised sum of per-word pseudo-random vectors, so texts sharing words
 * are closer than unrelated ones, and the same text always embeds the same way.
 */
import { InvalidRequestError } from "./invalid-request-error.js";
import { Rng, hashParts } from "./random.js";
import { sendError, sendJson } from "./reply.js";
import type { RouteContext } from "./routes.js";
import { countTokens } from "./tokens.js";

const MAX_INPUTS = 2048;
/** Words past this many in one input do not move its vector (bounds the work per request). */
const MAX_WORDS = 2048;

function defaultDimensions(model: string): number {
  return model.includes("large") ? 3072 : 1536;
}

function inputsOf(input: unknown): string[] {
  if (typeof input === "string") return [input];
  if (Array.isArray(input) && input.length > 0) {
    if (input.length > MAX_INPUTS) {
      throw new InvalidRequestError(`'$.input' is invalid: array too long, at most ${MAX_INPUTS} inputs.`, "input");
    }
    // Token arrays embed like the text their ids spell.
    return input.map((item) => (typeof item === "string" ? item : Array.isArray(item) ? item.join(" ") : String(item)));
  }
  throw new InvalidRequestError(
    "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    "input",
  );
}

export function embed(text: string, dimensions: number): Float32Array {
  const vector = new Float32Array(dimensions);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [text];
  for (const word of words.slice(0, MAX_WORDS)) {
    const rng = new Rng(hashParts("embed", word));
    for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] as number) + (rng.next() * 2 - 1);
  }
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] as number) / norm;
  return vector;
}

export function embeddingsEndpoint(c: RouteContext) {
  const body = c.body as Record<string, unknown>;
  const model = typeof body.model === "string" ? body.model : "";
  try {
    if (model === "") throw new InvalidRequestError("you must provide a model parameter", "model");
    const inputs = inputsOf(body.input);
    const dimensions = body.dimensions === undefined ? defaultDimensions(model) : Number(body.dimensions);
    if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > 3072) {
      throw new InvalidRequestError("Invalid 'dimensions': integer must be between 1 and 3072.", "dimensions");
    }
    const base64 = body.encoding_format === "base64";
    let tokens = 0;
    const data = inputs.map((text, index) => {
      tokens += countTokens(text);
      const vector = embed(text, dimensions);
      const embedding = base64 ? Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64") : Array.from(vector);
      return { object: "embedding", index, embedding };
    });
    sendJson(
      c.res,
      200,
      { object: "list", data, model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
      { "x-request-id": c.requestId },
    );
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
