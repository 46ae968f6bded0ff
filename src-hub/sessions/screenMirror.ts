// The hub's own terminal per session (@xterm/headless): snapshots for late joiners, the screen as text,
// and the only answerer of terminal queries.
import xtermHeadless from '@xterm/headless';
import xtermSerialize from '@xterm/addon-serialize';
import type { Screen } from '../../src-protocol/index.js';

const { Terminal } = xtermHeadless;
const { SerializeAddon } = xtermSerialize;

export interface MirrorSnapshot {
  /** Stream offset the snapshot was taken at: live output continues from here. */
  offset: number;
  cols: number;
  rows: number;
  data: string;
}

export interface ScreenMirrorOptions {
  cols: number;
  rows: number;
  scrollbackRows: number;
  syncFrameWaitMs: number;
  /** Replies to terminal queries (cursor position, device attributes): written to the pty. */
  onReply: (data: string) => void;
}

export class ScreenMirror {
  private readonly terminal: InstanceType<typeof Terminal>;
  private readonly serializer: InstanceType<typeof SerializeAddon>;
  private pending = 0;
  private disposed = false;

  constructor(private readonly options: ScreenMirrorOptions) {
    this.terminal = new Terminal({
      cols: options.cols,
      rows: options.rows,
      scrollback: options.scrollbackRows,
      allowProposedApi: true,
    });
    this.serializer = new SerializeAddon();
    this.terminal.loadAddon(this.serializer);
    this.terminal.onData((reply) => options.onReply(reply));
  }

  /** Chars written but not yet parsed: the pty host pauses the pty when this grows too large. */
  get pendingChars(): number {
    return this.pending;
  }

  /** Whether the program asked for bracketed paste (CSI ? 2004 h), as parsed so far. */
  get bracketedPasteMode(): boolean {
    return this.terminal.modes.bracketedPasteMode;
  }

  write(data: string, onParsed?: () => void): void {
    this.pending += data.length;
    this.terminal.write(data, () => {
      this.pending -= data.length;
      onParsed?.();
    });
  }

  /** Applied in stream order: after everything written so far has been parsed. */
  resize(cols: number, rows: number): void {
    this.terminal.write('', () => {
      if (!this.disposed) this.terminal.resize(cols, rows);
    });
  }

  /**
   * Serializes the screen and up to `scrollbackRows` rows once every write queued before this call is
   * parsed, so the result is exactly the stream up to `offset`. Never mid-frame: while a DEC 2026
   * synchronized update is open it retries (with the offset of that later moment) up to a bound.
   */
  snapshot(
    currentOffset: () => number,
    scrollbackRows = this.options.scrollbackRows,
  ): Promise<MirrorSnapshot> {
    // The machine's clock, not the hub's: a bound on real waiting (paired with setTimeout), not policy.
    const deadline = Date.now() + this.options.syncFrameWaitMs;
    return new Promise((resolve) => {
      const attempt = () => {
        const offset = currentOffset();
        this.terminal.write('', () => {
          if (this.terminal.modes.synchronizedOutputMode && Date.now() < deadline && !this.disposed) {
            setTimeout(attempt, 10);
            return;
          }
          resolve({
            offset,
            cols: this.terminal.cols,
            rows: this.terminal.rows,
            data: this.serializer.serialize({ scrollback: scrollbackRows }),
          });
        });
      };
      attempt();
    });
  }

  /** The screen and up to `scrollbackRows` rows, serialized as parsed so far (to save it; no waiting). */
  serialize(scrollbackRows: number): string {
    return this.serializer.serialize({ scrollback: scrollbackRows });
  }

  /** The visible rows as text, as parsed so far. */
  screen(): Screen {
    const buffer = this.terminal.buffer.active;
    const lines: string[] = [];
    for (let row = 0; row < this.terminal.rows; row++) {
      lines.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
    }
    return {
      cols: this.terminal.cols,
      rows: this.terminal.rows,
      cursor: { x: buffer.cursorX, y: buffer.cursorY },
      lines,
    };
  }

  /** Resolves once everything written so far has been parsed. */
  flushed(): Promise<void> {
    return new Promise((resolve) => this.terminal.write('', resolve));
  }

  dispose(): void {
    this.disposed = true;
    this.terminal.dispose();
  }
}
