// Each Claude session's token use, kept current from its hooks: every hook names the session's transcript,
// which is read for what was appended (transcript.ts) and set on the session, so clients see it with the
// session's other fields (`ls --json`, the app), and each of its tasks its share (taskUsage.ts). Only a
// regular `.jsonl` file is ever read.
import { statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { SessionUsage } from '../../src-protocol/index.js';
import type { HookPayload } from '../sessions/hookStatus.js';
import { contextWindow, PRICES_AS_OF } from './prices.js';
import { TranscriptReader, type MessageUsage, type TranscriptUsage } from './transcript.js';

export interface UsageSessions {
  find(id: string): { setUsage(usage: SessionUsage): void } | undefined;
}

export function sessionUsage(read: TranscriptUsage): SessionUsage {
  return {
    model: read.model,
    inputTokens: read.inputTokens,
    outputTokens: read.outputTokens,
    cacheReadTokens: read.cacheReadTokens,
    cacheCreationTokens: read.cacheCreationTokens,
    costUsd: read.costUsd,
    contextTokens: read.contextTokens,
    contextWindow: contextWindow(read.model, read.contextTokens),
    pricesAsOf: PRICES_AS_OF,
  };
}

/** A path a hook may name as its transcript: absolute, `.jsonl`, and a regular file once it exists. */
function acceptable(path: string): boolean {
  if (!isAbsolute(path) || !path.endsWith('.jsonl')) return false;
  try {
    return statSync(path).isFile();
  } catch {
    return true; // not written yet; read() checks again
  }
}

/** How long after a Stop hook the transcript is read again. */
const LATE_READ_MS = 1_000;

export class UsageTracker {
  private readonly readers = new Map<string, TranscriptReader>();

  constructor(
    private readonly sessions: UsageSessions,
    /** Hears each read with its messages (per-task use, taskUsage.ts). */
    private readonly onRead?: (sessionId: string, messages: readonly MessageUsage[]) => void,
  ) {}

  hook(sessionId: string, payload: HookPayload): void {
    const path = payload.transcript_path;
    let reader = this.readers.get(sessionId);
    if (path && path !== reader?.path && acceptable(path)) {
      reader = new TranscriptReader(path);
      this.readers.set(sessionId, reader);
    }
    if (!reader) return;
    this.update(sessionId, reader);
    // The turn's last message can reach the transcript just after its Stop hook, and no hook follows it:
    // read once more a moment later.
    if (payload.hook_event_name === 'Stop') {
      const later = setTimeout(() => {
        const current = this.readers.get(sessionId);
        if (current) this.update(sessionId, current);
      }, LATE_READ_MS);
      later.unref();
    }
  }

  private update(sessionId: string, reader: TranscriptReader): void {
    const read = reader.read();
    if (read.messages === 0) return;
    this.sessions.find(sessionId)?.setUsage(sessionUsage(read));
    this.onRead?.(sessionId, reader.messagesRead());
  }

  /** Forgets an ended session's reader (its last usage stays on the session). */
  forget(sessionId: string): void {
    this.readers.delete(sessionId);
  }
}
