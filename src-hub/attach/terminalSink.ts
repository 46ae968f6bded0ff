// A subscription's sink when the hub writes into the client's own terminal (issue 12): output and the
// snapshot's screen go into the terminal as bytes; every other frame (resize, exit, resync, the attach's
// answer) still goes over the client's connection, which stays its control line.
//
// Under a flood the attach process writes again: one hub thread writing every terminal is slower than
// each attach process writing its own (their kernel work runs in parallel). Once a terminal has output
// waiting in the hub, later frames wait until it has taken that, then go over the connection for the attach
// process to write (as with `--relay`); once the client has acked all it was sent that way, the hub writes
// again. Every byte reaches the terminal once, in order.
import type { HubMessage } from '../../src-protocol/index.js';
import { CLEAR_SCREEN_BEFORE_SNAPSHOT } from '../../src-protocol/index.js';
import type { ClientTerminal } from './clientTerminal.js';
import type { ClientSink, SnapshotMessage, StreamFrame } from './subscription.js';

/** Home and clear, keeping the terminal's own scrollback (a resync skips output; it erases none). */
const CLEAR_SCREEN_KEEP_SCROLLBACK = '\x1b[H\x1b[2J';

/**
 * `direct`: the hub writes the terminal. `draining`: frames wait for the terminal to take what the hub
 * queued. `relay`: frames go over the connection, the attach process writes them and acks.
 */
export type TerminalMode = 'direct' | 'draining' | 'relay';

export class TerminalSink implements ClientSink {
  /** The terminal has the scrollback it was shown: a resync writes the screen alone. */
  readonly resyncScrollbackRows = 0;
  /** Told of output chars once the terminal has taken them: they count as acked (the client acks none). */
  written: (chars: number) => void = () => undefined;
  private modeValue: TerminalMode = 'direct';
  /** Frames held while the terminal drains, before the connection carries them. */
  private held: StreamFrame[] = [];
  /** Output chars sent over the connection that the client has not acked yet. */
  private relayedChars = 0;

  constructor(
    private readonly control: ClientSink,
    private readonly terminal: ClientTerminal,
  ) {}

  get mode(): TerminalMode {
    return this.modeValue;
  }

  send(frame: string): void {
    this.control.send(frame);
  }

  sendStream(frame: StreamFrame): void {
    if (this.modeValue === 'draining') {
      this.held.push(frame);
      return;
    }
    if (this.modeValue === 'relay') return this.relay(frame);
    if (this.terminal.waiting) {
      // The terminal did not take the last frame at once: it is behind. Relay once it has what waits.
      this.modeValue = 'draining';
      this.held.push(frame);
      this.terminal.afterWrites(() => {
        this.modeValue = 'relay';
        for (const next of this.held.splice(0)) this.relay(next);
        // Only notices waited: nothing for the client to ack, the hub writes again.
        if (this.relayedChars === 0) this.modeValue = 'direct';
      });
      return;
    }
    // Nothing waits for the terminal: a notice (resize, exit) cannot overtake output.
    if (!frame.output) return this.toControl(frame);
    frame.raw ??= Buffer.from(frame.output.data, 'utf8');
    this.terminal.write(frame.raw, () => this.written(frame.chars));
  }

  /** The client acked output it wrote; when that is all it was sent, the hub writes the terminal again. */
  clientAcked(chars: number): void {
    this.relayedChars = Math.max(0, this.relayedChars - chars);
    if (this.modeValue === 'relay' && this.relayedChars === 0) this.modeValue = 'direct';
  }

  sendSnapshot(snapshot: SnapshotMessage): void {
    // A snapshot comes once the client has acked all it was sent (a resync waits for that): the hub writes.
    if (this.modeValue === 'relay' && this.relayedChars === 0) this.modeValue = 'direct';
    // The attach's answer clears the terminal's scrollback too (the snapshot brings the session's own).
    const clear =
      snapshot.replyTo === undefined ? CLEAR_SCREEN_KEEP_SCROLLBACK : CLEAR_SCREEN_BEFORE_SNAPSHOT;
    this.terminal.write(Buffer.from(clear + snapshot.data, 'utf8'), () => undefined);
    this.control.send(JSON.stringify({ ...snapshot, data: '', terminal: 'direct' } satisfies HubMessage));
  }

  bufferedBytes(): number {
    return this.terminal.bufferedBytes + this.control.bufferedBytes();
  }

  release(): void {
    this.held = [];
    this.terminal.close();
  }

  private relay(frame: StreamFrame): void {
    if (frame.output) this.relayedChars += frame.chars;
    this.toControl(frame);
  }

  private toControl(frame: StreamFrame): void {
    if (this.control.sendStream) this.control.sendStream(frame);
    else this.control.send(frame.json);
  }
}
