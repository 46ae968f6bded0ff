// A session's pty output gathered into frames: an echo after a quiet spell leaves at the end of the
// event-loop turn; output that closely follows a flush is a stream and waits a few ms, so a flood leaves in
// frames of up to the batch size instead of one ~4K pty read each (each frame costs a send per client).
import type { Limits } from '../limits.js';

type BatchLimits = Pick<Limits, 'outputBatchMaxChars' | 'outputCoalesceMs'>;

export class OutputBatcher {
  private batch: string[] = [];
  private chars = 0;
  private scheduled = false;
  private lastFlushAt = 0;

  constructor(
    private readonly limits: BatchLimits,
    private readonly now: () => number,
    private readonly onFlush: (data: string) => void,
  ) {}

  push(data: string): void {
    this.batch.push(data);
    this.chars += data.length;
    if (this.chars >= this.limits.outputBatchMaxChars) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      const sinceFlush = this.now() - this.lastFlushAt;
      const coalesce = this.limits.outputCoalesceMs;
      if (sinceFlush >= coalesce) setImmediate(() => this.flush());
      else setTimeout(() => this.flush(), coalesce);
    }
  }

  /** Sends whatever is gathered now (before a snapshot, a resize or the exit notice). */
  flush(): void {
    this.scheduled = false;
    if (this.chars === 0) return;
    this.lastFlushAt = this.now();
    const data = this.batch.length === 1 ? this.batch[0]! : this.batch.join('');
    this.batch = [];
    this.chars = 0;
    this.onFlush(data);
  }
}
