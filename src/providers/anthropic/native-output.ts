/**
 * Which Anthropic models take native structured output (JSON Schema in `output_config.format`), and the
 * schema in the dialect they accept. The model decision comes from the capability table (core/capabilities.ts).
 */
import { capabilitiesOf, type JsonSchema } from "../../core/index.js";
import { ConfigurationError } from "../../errors/index.js";

/**
 * True for the Claude families with native structured output: Opus 4.1, and every Opus / Sonnet / Haiku
 * from 4.5 on (dated snapshots and provider prefixes such as Bedrock's `anthropic.` included).
 */
export function supportsNativeOutput(model: string): boolean {
  return capabilitiesOf("anthropic", model).nativeStructuredOutput;
}

const cache = new WeakMap<JsonSchema, JsonSchema>();

/** The SDK's schema transform, from an optional peer: loaded with the SDK, before the adapter's first request. */
let transformJSONSchema: ((schema: Record<string, unknown>) => Record<string, unknown>) | undefined;
let loading: Promise<void> | undefined;
export function loadNativeTransform(): Promise<void> {
  loading ??= import("@anthropic-ai/sdk/lib/transform-json-schema").then((m) => {
    transformJSONSchema = m.transformJSONSchema;
  });
  return loading;
}

/**
 * The schema Anthropic's native output accepts: every object closed (`additionalProperties: false`), and
 * what it rejects (numeric bounds, string lengths, patterns, most formats, `minItems` above 1) moved into the
 * field's description, where the model still reads it. The reply is validated against the caller's own
 * schema afterwards, so those rules are still enforced (a miss is re-asked). The transform is the Anthropic
 * SDK's own (`transformJSONSchema`), so Ballast sends what the SDK's `parse()` would.
 */
export function toAnthropicNative(schema: JsonSchema): JsonSchema {
  let native = cache.get(schema);
  if (native) return native;
  if (!transformJSONSchema)
    throw new ConfigurationError("toAnthropicNative: await loadNativeTransform() first (the Anthropic SDK is loaded lazily)");
  try {
    native = transformJSONSchema(schema as Record<string, unknown>) as JsonSchema;
  } catch (err) {
    throw new ConfigurationError(
      `anthropic native output cannot express this schema (${(err as Error).message}); use anthropic(model, { mode: "tool" })`,
    );
  }
  cache.set(schema, native);
  return native;
}
