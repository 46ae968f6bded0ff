// A subscription's sink when the hub writes into the client's own terminal (issue 12): output and the
// snapshot's screen go into the terminal as bytes; every other frame (resize, exit, resync, the attach's
// answer) still goes over the client's connection, which stays its control line, and waits until the
// output before it is in the terminal.
//
// What a terminal does not take at once (a flood) is written by the hub's writer thread (terminalWriter.ts),
// in order, on the other core (docs/benchmarks.md, "A writer thread for the terminals").
import type { HubMessage } from '../../src-protocol/index.js';
import { CLEAR_SCREEN_BEFORE_SNAPSHOT } from '../../src-protocol/index.js';
import type { ClientTerminal } from './clientTerminal.js';
import type { ClientSink, SnapshotMessage, StreamFrame } from './subscription.js';

/** Home and clear, keeping the terminal's own scrollback (a resync skips output; it erases none). */
const CLEAR_SCREEN_KEEP_SCROLLBACK = '\x1b[H\x1b[2J';

export class TerminalSink implements ClientSink {
  /** The terminal has the scrollback it was shown: a resync writes the screen alone. */
  readonly resyncScrollbackRows = 0;
  /** Told of output chars once the terminal has taken them: they count as acked (the client acks none). */
  written: (chars: number) => void = () => undefined;

  constructor(
    private readonly control: ClientSink,
    private readonly terminal: ClientTerminal,
  ) {}

  send(frame: string): void {
    this.control.send(frame);
  }

  sendStream(frame: StreamFrame): void {
    if (!frame.output) {
      // A resize or exit notice goes once the output before it is in the terminal: in stream order.
      this.terminal.afterWrites(() => {
        if (this.control.sendStream) this.control.sendStream(frame);
        else this.control.send(frame.json);
      });
      return;
    }
    frame.raw ??= Buffer.from(frame.output.data, 'utf8');
    this.terminal.write(frame.raw, () => this.written(frame.chars));
  }

  sendSnapshot(snapshot: SnapshotMessage): void {
    // The attach's answer clears the terminal's scrollback too (the snapshot brings the session's own).
    const clear =
      snapshot.replyTo === undefined ? CLEAR_SCREEN_KEEP_SCROLLBACK : CLEAR_SCREEN_BEFORE_SNAPSHOT;
    this.terminal.write(Buffer.from(clear + snapshot.data, 'utf8'), () => undefined);
    this.control.send(JSON.stringify({ ...snapshot, data: '', terminal: 'direct' } satisfies HubMessage));
  }

  bufferedBytes(): number {
    return this.terminal.bufferedBytes + this.control.bufferedBytes();
  }

  /** Resolves once nothing more of the hub's can reach the terminal. */
  release(): Promise<void> {
    return this.terminal.closeWithin();
  }
}
