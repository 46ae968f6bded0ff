// Who sizes a session (issue 13): the latest client to ask, as tmux's latest-client rule. Each driver's last
// wanted size is kept while it is attached; when the client whose size holds leaves, the size follows the
// most recent wish of those still attached instead of staying at the size of a window that is gone.
import { ResizeDebouncer } from './resizePolicy.js';

export interface TerminalSize {
  cols: number;
  rows: number;
}

export class SessionSizer {
  private readonly debouncer: ResizeDebouncer;
  /** Each attached driver's last wanted size; Map order is recency (the last entry is the newest wish). */
  private readonly wishes = new Map<string, TerminalSize>();
  /** The client whose request set the size now held (undefined: the start size, or one set from inside). */
  private setter: string | undefined;

  constructor(windowMs: number, apply: (cols: number, rows: number) => void, now?: () => number) {
    this.debouncer = new ResizeDebouncer(windowMs, apply, now);
  }

  /** `from` may size the session now (the owner or the lease holder): it becomes the setter. */
  request(cols: number, rows: number, from?: string): void {
    if (from !== undefined) this.remember(from, { cols, rows });
    this.setter = from;
    this.debouncer.request(cols, rows);
  }

  /** A driver that may not size the session now (another holds the lease): kept for when the setter leaves. */
  wish(from: string, cols: number, rows: number): void {
    this.remember(from, { cols, rows });
  }

  /** Whether `clientId`'s size holds now (it set it, or it was handed the size when the setter left). */
  holds(clientId: string): boolean {
    return this.setter === clientId;
  }

  /** The size the latest still-attached driver wants, if any. */
  latestWish(): TerminalSize | undefined {
    let latest: TerminalSize | undefined;
    for (const size of this.wishes.values()) latest = size;
    return latest;
  }

  /** `clientId` left: if its size held, the session takes the latest remaining wish. */
  forget(clientId: string): void {
    this.wishes.delete(clientId);
    if (this.setter !== clientId) return;
    this.setter = undefined;
    let next: [string, TerminalSize] | undefined;
    for (const entry of this.wishes) next = entry;
    if (next) this.request(next[1].cols, next[1].rows, next[0]);
  }

  dispose(): void {
    this.debouncer.dispose();
  }

  private remember(from: string, size: TerminalSize): void {
    this.wishes.delete(from); // re-inserted last: the newest wish
    this.wishes.set(from, size);
  }
}
