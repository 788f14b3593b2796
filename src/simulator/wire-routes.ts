/**
 * Which wire protocol a POST path speaks: Chat Completions, Messages, Responses, or Gemini's
 * `/v1beta/models/{model}:generateContent` and `:streamGenerateContent` (model taken from the path).
 */
import { GEMINI_STREAM_WIRE, GEMINI_WIRE } from "./gemini-wire.js";
import { RESPONSES_WIRE } from "./responses-wire.js";
import { CHAT_WIRE, MESSAGES_WIRE, type Wire } from "./wire.js";

export interface WireRoute {
  wire: Wire;
  /** The model named in the path (Gemini). */
  pathModel?: string;
}

export const GEMINI_PATH = /^\/(?:v1beta|v1)\/models\/([^/:]+):(generateContent|streamGenerateContent)$/;

export function wireRoute(path: string): WireRoute | null {
  if (path === "/v1/chat/completions" || path === "/chat/completions") return { wire: CHAT_WIRE };
  if (path === "/v1/messages") return { wire: MESSAGES_WIRE };
  if (path === "/v1/responses" || path === "/responses") return { wire: RESPONSES_WIRE };
  const gemini = GEMINI_PATH.exec(path);
  if (gemini) {
    return { wire: gemini[2] === "generateContent" ? GEMINI_WIRE : GEMINI_STREAM_WIRE, pathModel: decodeURIComponent(gemini[1] as string) };
  }
  return null;
}

/** Gemini paths answer errors in Google's shape. */
export const isGeminiPath = (path: string) => path.startsWith("/v1beta/");
