// What model use costs: one dated table of list prices (US dollars per million tokens) and the context
// window per model family. Estimates only: the transcript does not carry the bill, and prices change.

/** The day these prices were copied from Anthropic's published price list. Update both together. */
export const PRICES_AS_OF = '2025-11-24';

interface Price {
  /** Per million input tokens. Cache writes cost 1.25 ×, cache reads 0.1 × this (5-minute cache). */
  input: number;
  /** Per million output tokens. */
  output: number;
}

/** Matched against the model id in order; a model none matches has no estimate (never a guess). */
const PRICES: Array<[RegExp, Price]> = [
  [/opus-4-5/, { input: 5, output: 25 }],
  [/opus-4(-1|-0)?(\b|-2)|3-opus|opus-3/, { input: 15, output: 75 }],
  [/sonnet-4|sonnet-3-7|3-7-sonnet|3-5-sonnet|sonnet-3-5/, { input: 3, output: 15 }],
  [/haiku-4-5/, { input: 1, output: 5 }],
  [/3-5-haiku|haiku-3-5/, { input: 0.8, output: 4 }],
  [/3-haiku|haiku-3\b/, { input: 0.25, output: 1.25 }],
];

export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** The list price of `tokens` on `model`, or null for a model the table does not know. */
export function estimateCost(model: string | null, tokens: TokenCounts): number | null {
  if (!model) return null;
  const price = PRICES.find(([pattern]) => pattern.test(model))?.[1];
  if (!price) return null;
  const dollars =
    (tokens.inputTokens * price.input +
      tokens.cacheCreationTokens * price.input * 1.25 +
      tokens.cacheReadTokens * price.input * 0.1 +
      tokens.outputTokens * price.output) /
    1_000_000;
  return Math.round(dollars * 10_000) / 10_000;
}

/** The standard context window; the long-context variants hold 1 M. */
const STANDARD_WINDOW = 200_000;

/**
 * How many tokens the model's context holds: 1 M for the long-context variants, else 200 k. A transcript
 * names a long-context session's model without its `[1m]` (the API model id is the same), so a prompt
 * larger than the standard window (`used`) shows it was the 1 M one.
 */
export function contextWindow(model: string | null, used = 0): number | null {
  if (!model) return null;
  return /\[1m\]|-1m\b/i.test(model) || used > STANDARD_WINDOW ? 1_000_000 : STANDARD_WINDOW;
}
