// One client's view of one session's stream: snapshot first, then live output within its credit.
// Past its credit (or with a socket it does not read) the client is dropped to resync, and gets a fresh
// snapshot once it has acked what it was sent: a slow client never slows the session or anyone else.
import type { AttachRole, HubMessage, RequestId } from '../../src-protocol/index.js';
import type { Limits } from '../limits.js';
import type { MirrorSnapshot } from '../sessions/screenMirror.js';

/** A frame of the session's stream, serialized once and shared by every subscriber. */
export interface StreamFrame {
  json: string;
  offset: number;
  /** Output chars in the frame (0 for resize and exit notices); what acks count. */
  chars: number;
  /** `json` as a whole WebSocket text frame, built by the first socket that sends it, reused by the rest. */
  utf8?: Buffer;
  /** Output frames only: what a binary frame carries (src-protocol/frames.ts). */
  output?: { session: string; data: string };
  /** The binary output frame as a whole WebSocket frame, built by the first socket that takes binary. */
  binary?: Uint8Array;
  /** The output as UTF-8 bytes, made by the first client terminal that writes it (attach/terminalSink.ts). */
  raw?: Buffer;
}

export type SnapshotMessage = Extract<HubMessage, { type: 'pty.snapshot' }>;

export interface ClientSink {
  send(frame: string): void;
  /** Sends a shared stream frame; a sink that can reuse its encoding implements this. */
  sendStream?(frame: StreamFrame): void;
  /** Sends the snapshot; a sink that shows it elsewhere (a client's terminal) implements this. */
  sendSnapshot?(snapshot: SnapshotMessage): void;
  /** Bytes queued in the socket, not yet taken by the peer. */
  bufferedBytes(): number;
  /** Scrollback rows of the snapshot after a resync, when not the hub's default (a terminal keeps its own). */
  readonly resyncScrollbackRows?: number;
  /** The subscription ended: let go of what the sink holds (a client's terminal). Not `close`: endpoints have one. */
  release?(): void | Promise<void>;
}

export interface StreamSource {
  readonly id: string;
  snapshot(scrollbackRows?: number): Promise<MirrorSnapshot>;
  /** The exit notice, once the process has exited. */
  exitFrame(): StreamFrame | undefined;
}

type State = 'snapshotting' | 'live' | 'resync' | 'closed';
type Limit = Pick<Limits, 'creditChars' | 'socketBacklogBytes'>;

export class Subscription {
  private state: State = 'snapshotting';
  private unacked = 0;
  private queue: StreamFrame[] = [];
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly clientId: string,
    readonly role: AttachRole,
    private readonly source: StreamSource,
    private readonly sink: ClientSink,
    private readonly limits: Limit,
    private readonly onResync: (reason: string) => void,
  ) {}

  get status(): State {
    return this.state;
  }

  /** Bytes the hub holds for this client, not yet taken by it: what a stalled client costs. */
  get backlogBytes(): number {
    return this.sink.bufferedBytes();
  }

  /** Sends the snapshot (as the reply to `replyTo` when given), then whatever arrived meanwhile. */
  async start(replyTo?: RequestId): Promise<void> {
    this.state = 'snapshotting';
    this.queue = [];
    // A resync's snapshot (no request to answer) may carry less scrollback than the first.
    const scrollback = replyTo === undefined ? this.sink.resyncScrollbackRows : undefined;
    const snapshot = await this.source.snapshot(scrollback);
    if ((this.state as State) === 'closed') {
      // Detached (or disconnected) while the snapshot was being made: the attach still gets its answer.
      if (replyTo !== undefined)
        this.sink.send(
          JSON.stringify({
            type: 'error',
            replyTo,
            code: 'not_attached',
            message: 'Detached before the attach completed; attach again to watch the session.',
          } satisfies HubMessage),
        );
      return;
    }
    this.unacked = 0;
    const message: SnapshotMessage = {
      type: 'pty.snapshot',
      ...(replyTo === undefined ? {} : { replyTo }),
      session: this.source.id,
      role: this.role,
      offset: snapshot.offset,
      cols: snapshot.cols,
      rows: snapshot.rows,
      data: snapshot.data,
    };
    if (this.sink.sendSnapshot) this.sink.sendSnapshot(message);
    else this.sink.send(JSON.stringify(message));
    const queued = this.queue;
    this.queue = [];
    this.state = 'live';
    for (const frame of queued) if (frame.offset >= snapshot.offset) this.deliver(frame);
    const exit = this.source.exitFrame();
    if (exit && !queued.some((frame) => frame.json === exit.json)) this.deliver(exit);
  }

  deliver(frame: StreamFrame): void {
    if (this.state === 'snapshotting') this.queue.push(frame);
    if (this.state !== 'live') return;
    if (this.unacked + frame.chars > this.limits.creditChars) return this.dropToResync('credit_exhausted');
    if (this.sink.bufferedBytes() > this.limits.socketBacklogBytes)
      return this.dropToResync('socket_backlog');
    this.unacked += frame.chars;
    if (this.sink.sendStream) this.sink.sendStream(frame);
    else this.sink.send(frame.json);
  }

  ack(chars: number): void {
    this.unacked = Math.max(0, this.unacked - chars);
    if (this.state === 'resync') this.maybeRecover();
  }

  /** Ends the subscription; resolves once the sink has let go of what it wrote into (a terminal). */
  close(): Promise<void> | void {
    this.state = 'closed';
    this.queue = [];
    if (this.resyncTimer) clearTimeout(this.resyncTimer);
    return this.sink.release?.();
  }

  private dropToResync(reason: 'credit_exhausted' | 'socket_backlog'): void {
    this.state = 'resync';
    this.onResync(reason);
    this.sink.send(
      JSON.stringify({ type: 'pty.resync', session: this.source.id, reason } satisfies HubMessage),
    );
    this.maybeRecover();
  }

  /** Recovers once the client has processed everything it was sent and its socket has drained. */
  private maybeRecover(): void {
    if (this.state !== 'resync') return;
    if (this.unacked === 0 && this.sink.bufferedBytes() <= this.limits.socketBacklogBytes / 2) {
      if (this.resyncTimer) clearTimeout(this.resyncTimer);
      this.resyncTimer = undefined;
      void this.start();
      return;
    }
    if (this.resyncTimer) return;
    // Acks drive recovery; the timer covers a client whose socket drains without any ack to send.
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = undefined;
      this.maybeRecover();
    }, 250);
  }
}
