/** The main job's schema: a product review classified into sentiment, a score, topics and a summary. */
import { z } from "zod";

export const TOPICS = ["battery", "screen", "price", "shipping", "quality", "support", "design", "performance"] as const;

export const Review = z.object({
  sentiment: z
    .enum(["positive", "negative", "mixed", "neutral"])
    .describe("Overall sentiment. 'mixed' when clear praise and clear complaints both appear."),
  score: z.number().int().min(1).max(10).describe("How much the reviewer liked the product, 1 (hated) to 10 (loved)."),
  topics: z.array(z.enum(TOPICS)).max(4).describe("Aspects of the product the review talks about."),
  summary: z.string().max(200).describe("One short sentence in plain words."),
});
export type Review = z.infer<typeof Review>;

export const reviewFallback: Review = { sentiment: "neutral", score: 5, topics: [], summary: "Unable to classify this review right now." };

export const reviewInstructions = [
  "You classify customer reviews of consumer products.",
  "Read the review and fill every field. Topics are only aspects the review actually mentions.",
  "Score 1-3 for negative, 4-7 for mixed or neutral, 8-10 for positive reviews.",
].join("\n");
