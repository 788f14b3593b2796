/** `ballast demo`: the main job (what `npm start` runs). */
import { Command } from "commander";
import { integer } from "../option-parsers.js";
import { runDemo } from "../../demo/index.js";

export const command = new Command("demo")
  .description(
    "classify the bundled 200 reviews through a Gemini -> OpenAI -> Anthropic cascade (offline on the simulator unless the three API keys are set)",
  )
  .option("-n, --limit <n>", "how many reviews", integer(1))
  .option("-c, --concurrency <n>", "calls in flight", integer(1), 16)
  .action(async (opts: { limit?: number; concurrency: number }) => {
    await runDemo({ limit: opts.limit, concurrency: opts.concurrency });
  });
