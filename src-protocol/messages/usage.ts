// Token use as the hub reads it from Claude Code's own transcript: per session (with how full the context
// is), estimated at list prices that are dated (`pricesAsOf`).
import { z } from 'zod';
import { lazySchema } from './lazy.js';

const tokens = lazySchema(() => z.number().int().nonnegative());

export const TokenUseSchema = lazySchema(() =>
  z.object({
    /** The newest message's model. */
    model: z.string().nullable(),
    inputTokens: tokens,
    outputTokens: tokens,
    cacheReadTokens: tokens,
    cacheCreationTokens: tokens,
    /** At list prices; null when a model has no known price. */
    costUsd: z.number().nonnegative().nullable(),
  }),
);
export type TokenUse = z.infer<typeof TokenUseSchema>;

/**
 * What a task's worker session used while it worked on that task: the transcript's messages timed from the
 * task's delivery to its end (up to now while it runs). `approximate` when that could not be timed (a
 * transcript without timestamps): then it is the session's whole use.
 */
export const TaskUsageSchema = lazySchema(() => TokenUseSchema.extend({ approximate: z.boolean() }));
export type TaskUsage = z.infer<typeof TaskUsageSchema>;

export const SessionUsageSchema = lazySchema(() =>
  TokenUseSchema.extend({
    /** The newest prompt's size: input plus cache reads and writes. */
    contextTokens: tokens,
    contextWindow: tokens.nullable(),
    /** The day of the price list the estimate used. */
    pricesAsOf: z.string(),
  }),
);
export type SessionUsage = z.infer<typeof SessionUsageSchema>;

/** 1234 → "1.2k", 2_500_000 → "2.5M". */
export function tokenCount(tokens: number): string {
  if (tokens < 1000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1000).toFixed(tokens < 10_000 ? 1 : 0)}k`;
  return `${(tokens / 1_000_000).toFixed(1)}M`;
}

/** "13k tokens, ~$0.04, context 6%": all tokens (cache included), the estimate, how full the context is. */
export function usageLine(usage: SessionUsage): string {
  const total = usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
  const parts = [`${tokenCount(total)} tokens`];
  if (usage.costUsd !== null) parts.push(`~$${usage.costUsd.toFixed(2)}`);
  if (usage.contextWindow)
    parts.push(`context ${Math.round((100 * usage.contextTokens) / usage.contextWindow)}%`);
  return parts.join(', ');
}

const grouped = (tokens: number) => tokens.toLocaleString('en-US');

/**
 * Everything the hub knows of a session's token use, one fact a line, for a tooltip: the model, input and
 * output, cache reads and writes, the estimate with its price list's date, and how full the context is.
 */
export function usageDetail(usage: SessionUsage): string {
  const lines = [
    `model ${usage.model ?? 'unknown'}`,
    `input ${grouped(usage.inputTokens)} · output ${grouped(usage.outputTokens)} tokens`,
    `cache reads ${grouped(usage.cacheReadTokens)} · cache writes ${grouped(usage.cacheCreationTokens)}`,
    usage.costUsd === null
      ? 'no price known for this model'
      : `about $${usage.costUsd.toFixed(2)} at the list prices of ${usage.pricesAsOf}`,
  ];
  if (usage.contextWindow)
    lines.push(
      `context ${grouped(usage.contextTokens)} of ${grouped(usage.contextWindow)} tokens ` +
        `(${Math.round((100 * usage.contextTokens) / usage.contextWindow)}%)`,
    );
  return lines.join('\n');
}
