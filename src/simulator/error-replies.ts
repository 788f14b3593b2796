/**
 * Error responses shaped like the real providers' for each status: OpenAI `{error:{message,type,param,code}}`
 * and Anthropic `{type:"error",error:{type,message},request_id}`, with `retry-after(-ms)` on 429.
 */

export interface ErrorReply {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ErrorDetails {
  status: number;
  requestId: string;
  model: string;
  retryAfterMs?: number;
  /** For 400s: the message, param and code to report. */
  message?: string;
  param?: string | null;
  code?: string | null;
  /** Anthropic error type override (e.g. "invalid_request_error"). */
  anthropicType?: string;
}

function retryHeaders(d: ErrorDetails): Record<string, string> {
  if (d.status !== 429 && d.retryAfterMs === undefined) return {};
  const ms = d.retryAfterMs ?? 1000;
  return { "retry-after-ms": String(Math.round(ms)), "retry-after": String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** The rate-limit headers the providers send with a 429 (tokens exhausted until the retry time). */
function rateLimitHeaders(d: ErrorDetails, protocol: "openai" | "anthropic"): Record<string, string> {
  if (d.status !== 429) return {};
  const ms = d.retryAfterMs ?? 1000;
  if (protocol === "openai") {
    return {
      "x-ratelimit-limit-requests": "500",
      "x-ratelimit-remaining-requests": "499",
      "x-ratelimit-reset-requests": "120ms",
      "x-ratelimit-limit-tokens": "30000",
      "x-ratelimit-remaining-tokens": "0",
      "x-ratelimit-reset-tokens": `${(ms / 1000).toFixed(3)}s`,
    };
  }
  const reset = new Date(Date.now() + ms).toISOString();
  return {
    "anthropic-ratelimit-requests-limit": "50",
    "anthropic-ratelimit-requests-remaining": "49",
    "anthropic-ratelimit-requests-reset": reset,
    "anthropic-ratelimit-input-tokens-limit": "30000",
    "anthropic-ratelimit-input-tokens-remaining": "0",
    "anthropic-ratelimit-input-tokens-reset": reset,
  };
}

export function openAIError(d: ErrorDetails): ErrorReply {
  const headers = { ...retryHeaders(d), ...rateLimitHeaders(d, "openai"), "x-request-id": d.requestId };
  let error: { message: string; type: string; param: string | null; code: string | number | null };
  switch (d.status) {
    case 429: {
      const seconds = ((d.retryAfterMs ?? 1000) / 1000).toFixed(3);
      error = {
        message: `Rate limit reached for ${d.model} in organization org-ballastsim on tokens per min (TPM): Limit 30000, Used 30000, Requested 1000. Please try again in ${seconds}s. Visit https://platform.openai.com/account/rate-limits to learn more.`,
        type: "tokens",
        param: null,
        code: "rate_limit_exceeded",
      };
      break;
    }
    case 500:
      error = {
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        param: null,
        code: null,
      };
      break;
    case 502:
      error = { message: "Bad gateway.", type: "cf_bad_gateway", param: null, code: 502 };
      break;
    case 503:
      error = { message: "The engine is currently overloaded, please try again later.", type: "server_error", param: null, code: null };
      break;
    case 529:
      error = { message: "The server is overloaded. Please try again later.", type: "server_error", param: null, code: null };
      break;
    default:
      error = {
        message: d.message ?? `Request failed with status ${d.status}.`,
        type: d.status >= 500 ? "server_error" : "invalid_request_error",
        param: d.param ?? null,
        code: d.code ?? null,
      };
  }
  return { status: d.status, headers, body: { error } };
}

/** Anthropic's request ids (`req_...`) are not its message ids (`msg_...`); derived so logs can pair them. */
export function anthropicRequestId(id: string): string {
  return id.startsWith("req_") ? id : `req_011C${id.replace(/^(msg_|chatcmpl-)/, "")}`;
}

const ANTHROPIC_TYPES: Record<number, string> = {
  401: "authentication_error",
  403: "permission_error",
  404: "not_found_error",
  413: "request_too_large",
};

export function anthropicError(d: ErrorDetails): ErrorReply {
  const requestId = anthropicRequestId(d.requestId);
  const headers = { ...retryHeaders(d), ...rateLimitHeaders(d, "anthropic"), "request-id": requestId };
  let type: string;
  let message: string;
  switch (d.status) {
    case 429:
      type = "rate_limit_error";
      message =
        "Number of request tokens has exceeded your per-minute rate limit (https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later.";
      break;
    case 500:
      type = "api_error";
      message = "Internal server error";
      break;
    case 502:
      type = "api_error";
      message = "Bad gateway";
      break;
    case 503:
      type = "overloaded_error";
      message = "Service unavailable";
      break;
    case 529:
      type = "overloaded_error";
      message = "Overloaded";
      break;
    default:
      type = d.anthropicType ?? ANTHROPIC_TYPES[d.status] ?? (d.status >= 500 ? "api_error" : "invalid_request_error");
      message = d.message ?? `Request failed with status ${d.status}.`;
  }
  return { status: d.status, headers, body: { type: "error", error: { type, message }, request_id: requestId } };
}

const GEMINI_STATUS: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
  529: "UNAVAILABLE",
};

/** Google's `{error:{code,message,status,details}}`; a 429 carries its wait as a `RetryInfo` detail, not a header. */
export function geminiError(d: ErrorDetails): ErrorReply {
  const status = GEMINI_STATUS[d.status] ?? (d.status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION");
  const error: Record<string, unknown> = { code: d.status, message: d.message ?? defaultGeminiMessage(d), status };
  if (d.status === 429) {
    const seconds = Number(((d.retryAfterMs ?? 1000) / 1000).toFixed(3));
    error.details = [{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: `${seconds}s` }];
  }
  return { status: d.status, headers: { "x-request-id": d.requestId }, body: { error } };
}

function defaultGeminiMessage(d: ErrorDetails): string {
  if (d.status === 429) return `Resource has been exhausted (e.g. check quota) for ${d.model}.`;
  if (d.status === 503 || d.status === 529) return "The model is overloaded. Please try again later.";
  if (d.status >= 500) return "An internal error has occurred. Please retry or report it.";
  return `Request failed with status ${d.status}.`;
}
