// Token use read from Claude Code's own transcript (`transcript_path` in every hook payload): each assistant
// message carries its usage; one message can span several lines (one per content block) with the same id,
// so the last line of an id counts. Read incrementally: only what was appended since the last read.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { estimateCost, type TokenCounts } from './prices.js';

export interface TranscriptUsage extends TokenCounts {
  /** The model of the newest main-conversation message. */
  model: string | null;
  /** The prompt size of the newest main-conversation message: how full the context is. */
  contextTokens: number;
  messages: number;
  /** The list price of every message at its own model's price; null when some model has no known price. */
  costUsd: number | null;
}

/** One assistant message's use, and when it began (ms since the epoch; null when its line had no time). */
export interface MessageUsage extends TokenCounts {
  model: string | null;
  at: number | null;
}

/** The summed use of some messages, each at its own model's list price (null when some has no price). */
export function sumUsage(messages: Iterable<MessageUsage>): TokenCounts & { costUsd: number | null } {
  const sum = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheCreationTokens: 0 };
  let costUsd: number | null = 0;
  for (const message of messages) {
    const cost = estimateCost(message.model, message);
    costUsd = cost === null || costUsd === null ? null : costUsd + cost;
    sum.inputTokens += message.inputTokens;
    sum.outputTokens += message.outputTokens;
    sum.cacheReadTokens += message.cacheReadTokens;
    sum.cacheCreationTokens += message.cacheCreationTokens;
  }
  return { ...sum, costUsd: costUsd === null ? null : Math.round(costUsd * 10_000) / 10_000 };
}

const time = (value: unknown): number | null => {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? at : null;
};

const READ_LIMIT = 8 * 1024 * 1024; // per read; the rest waits for the next hook

const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;

export class TranscriptReader {
  private offset = 0;
  private partial = '';
  private readonly messages = new Map<string, MessageUsage>();
  private model: string | null = null;
  private contextTokens = 0;

  constructor(readonly path: string) {}

  /** Reads what was appended; a missing or unreadable file reads as nothing new. */
  read(): TranscriptUsage {
    let fd: number | undefined;
    try {
      const size = statSync(this.path).size;
      if (size < this.offset) this.reset(); // rewritten: start over
      if (size > this.offset) {
        fd = openSync(this.path, 'r');
        const length = Math.min(size - this.offset, READ_LIMIT);
        const buffer = Buffer.alloc(length);
        const got = readSync(fd, buffer, 0, length, this.offset);
        this.offset += got;
        this.take(buffer.subarray(0, got).toString('utf8'));
      }
    } catch {
      // Not written yet, or gone with its session: the totals so far stand.
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    return this.totals();
  }

  private reset(): void {
    this.offset = 0;
    this.partial = '';
    this.messages.clear();
    this.model = null;
    this.contextTokens = 0;
  }

  private take(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.line(line);
  }

  private line(line: string): void {
    if (!line.includes('"usage"')) return;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      return;
    }
    const record = entry as {
      type?: unknown;
      timestamp?: unknown;
      isSidechain?: unknown;
      message?: { id?: unknown; model?: unknown; usage?: Record<string, unknown> };
    };
    const message = record.message;
    if (record.type !== 'assistant' || !message?.usage || typeof message.id !== 'string') return;
    const usage = message.usage;
    const model = typeof message.model === 'string' ? message.model : null;
    const counted: MessageUsage = {
      model,
      // A message's lines (one per content block) follow each other; its first line's time is its start.
      at: this.messages.get(message.id)?.at ?? time(record.timestamp),
      inputTokens: count(usage.input_tokens),
      outputTokens: count(usage.output_tokens),
      cacheReadTokens: count(usage.cache_read_input_tokens),
      cacheCreationTokens: count(usage.cache_creation_input_tokens),
    };
    this.messages.set(message.id, counted);
    if (record.isSidechain !== true) {
      this.model = model ?? this.model;
      this.contextTokens = counted.inputTokens + counted.cacheReadTokens + counted.cacheCreationTokens;
    }
  }

  /** Each message read so far (the last line of each id), oldest first. */
  messagesRead(): MessageUsage[] {
    return [...this.messages.values()];
  }

  private totals(): TranscriptUsage {
    return {
      model: this.model,
      ...sumUsage(this.messages.values()),
      contextTokens: this.contextTokens,
      messages: this.messages.size,
    };
  }
}
