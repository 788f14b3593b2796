/**
 * The Messages API's conversation rules, checked as production checks them: roles, the first turn, and
 * tool pairing (every `tool_result` answers a `tool_use` of the previous assistant turn, and every
 * `tool_use` is answered in the next user turn). Violations throw the API's 400 message.
 */
import { InvalidRequestError } from "./invalid-request-error.js";

type Body = Record<string, unknown>;

function blocks(content: unknown): Body[] {
  return Array.isArray(content) ? (content as Body[]) : [];
}

function idsOf(content: unknown, type: string, key: string): string[] {
  return blocks(content)
    .filter((b) => b.type === type)
    .map((b) => String(b[key]));
}

export function checkAnthropicMessages(messages: Body[]) {
  messages.forEach((m, i) => {
    if (m.role !== "user" && m.role !== "assistant") {
      throw new InvalidRequestError(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    if (typeof m.content !== "string" && !Array.isArray(m.content)) {
      throw new InvalidRequestError(`messages.${i}.content: Input should be a valid list`);
    }
  });
  if (messages[0]?.role !== "user") throw new InvalidRequestError('messages: first message must use the "user" role');
  messages.forEach((m, i) => {
    const previous = messages[i - 1];
    if (m.role === "user") {
      const offered = new Set(previous?.role === "assistant" ? idsOf(previous.content, "tool_use", "id") : []);
      blocks(m.content).forEach((b, j) => {
        if (b.type === "tool_result" && !offered.has(String(b.tool_use_id))) {
          throw new InvalidRequestError(
            `messages.${i}.content.${j}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(b.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`,
          );
        }
      });
    } else {
      const uses = idsOf(m.content, "tool_use", "id");
      const next = messages[i + 1];
      if (uses.length === 0 || !next) return;
      const answered = new Set(idsOf(next.content, "tool_result", "tool_use_id"));
      const missing = uses.filter((id) => !answered.has(id));
      if (missing.length > 0) {
        throw new InvalidRequestError(
          `messages.${i + 1}: \`tool_use\` ids were found without \`tool_result\` blocks immediately after: ${missing.join(", ")}. Each \`tool_use\` block must have a corresponding \`tool_result\` block in the next message.`,
        );
      }
    }
  });
}
