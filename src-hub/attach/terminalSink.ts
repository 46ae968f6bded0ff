// A subscription's sink when the hub writes into the client's own terminal (issue 12): output and the
// snapshot's screen go into the terminal as bytes; every other frame (resize, exit, resync, the attach's
// answer) still goes over the client's connection, which stays its control line.
import type { HubMessage } from '../../src-protocol/index.js';
import { CLEAR_SCREEN_BEFORE_SNAPSHOT } from '../../src-protocol/index.js';
import type { ClientTerminal } from './clientTerminal.js';
import type { ClientSink, SnapshotMessage, StreamFrame } from './subscription.js';

export class TerminalSink implements ClientSink {
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
      if (this.control.sendStream) this.control.sendStream(frame);
      else this.control.send(frame.json);
      return;
    }
    frame.raw ??= Buffer.from(frame.output.data, 'utf8');
    this.terminal.write(frame.raw, () => this.written(frame.chars));
  }

  sendSnapshot(snapshot: SnapshotMessage): void {
    this.terminal.write(Buffer.from(CLEAR_SCREEN_BEFORE_SNAPSHOT + snapshot.data, 'utf8'), () => undefined);
    this.control.send(JSON.stringify({ ...snapshot, data: '', terminal: 'direct' } satisfies HubMessage));
  }

  bufferedBytes(): number {
    return this.terminal.bufferedBytes + this.control.bufferedBytes();
  }

  release(): void {
    this.terminal.close();
  }
}
