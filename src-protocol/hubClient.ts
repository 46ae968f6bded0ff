// HubClient: the typed request/response and event API that every client uses over one Transport.
import { HubError } from './errors.js';
import { decodeOutputFrame, outputText, type OutputFrame } from './frames.js';
import type { AttachMode } from './messages/attach.js';
import type { InboxAnswer } from './messages/inbox.js';
import {
  parseHubMessage,
  type ClientMessage,
  type ClientMessageType,
  type HubMessage,
  type HubMessageOf,
} from './messages.js';
import type { SessionCreate } from './messages/session.js';
import type { Disposable, Transport } from './transport.js';

/** Timers exist in every runtime we target; typed here because this package compiles without Node or DOM. */
const timers = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

/** Batching of automatic acks: far inside the hub's credit (2,000,000 chars), so no client is dropped. */
export const ACK_BATCH_CHARS = 256 * 1024;
export const ACK_DELAY_MS = 20;

type Pending = { resolve: (message: HubMessage) => void; reject: (error: Error) => void; timer: unknown };
/** A request as the caller writes it; the client adds the id. Distributes over the union. */
type Outgoing<T extends ClientMessageType> = T extends ClientMessageType
  ? Omit<Extract<ClientMessage, { type: T }>, 'id'>
  : never;

export interface HubClientOptions {
  /**
   * Ack output on arrival (for clients without a terminal that parses asynchronously). Acks are batched:
   * sent when ACK_BATCH_CHARS have arrived or ACK_DELAY_MS after the last output, so a hundred observers
   * do not send the hub a hundred frames per keystroke.
   */
  autoAck?: boolean;
  requestTimeoutMs?: number;
  /**
   * Binary output frames go to `onOutput` listeners only, undecoded (the attach command writes the bytes
   * straight to its terminal). Without it they also reach `onMessage` as `pty.output`, decoded.
   */
  rawOutput?: boolean;
}

export class HubClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(message: HubMessage) => void>();
  private readonly outputListeners = new Set<(frame: OutputFrame) => void>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private readonly refusalListeners = new Set<(session: string, error: HubError) => void>();
  private closedReason: string | undefined;
  private readonly unackedBySession = new Map<string, number>();
  private ackTimer: unknown;

  constructor(
    private readonly transport: Transport,
    private readonly options: HubClientOptions = {},
  ) {
    transport.onMessage((frame) => this.receive(frame));
    transport.onBinary?.((frame) => this.receiveBinary(frame));
    transport.onClose((reason) => this.closed(reason));
  }

  get isClosed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Every message the hub pushes (events, output) and every reply, after validation. */
  onMessage(listener: (message: HubMessage) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Output that came as binary frames (a transport that negotiated them), before any decoding. */
  onOutput(listener: (frame: OutputFrame) => void): Disposable {
    this.outputListeners.add(listener);
    return { dispose: () => this.outputListeners.delete(listener) };
  }

  onClose(listener: (reason: string) => void): Disposable {
    this.closeListeners.add(listener);
    return { dispose: () => this.closeListeners.delete(listener) };
  }

  /**
   * Refusals of messages sent without an id (keystrokes from `type`), by the session they were about: the
   * hub's `error` without `replyTo` that names a `session`. They reach `onMessage` too.
   */
  onRefusal(listener: (session: string, error: HubError) => void): Disposable {
    this.refusalListeners.add(listener);
    return { dispose: () => this.refusalListeners.delete(listener) };
  }

  /** The error a request on a closed connection rejects with; undefined while it is open. */
  closedError(): HubError | undefined {
    if (this.closedReason === undefined) return undefined;
    return new HubError('internal', `Connection to the hub is closed (${this.closedReason}).`);
  }

  /** Sends a request and resolves with its reply; a coded error reply rejects with HubError. */
  request<T extends ClientMessageType>(message: Outgoing<T>): Promise<HubMessage> {
    const closed = this.closedError();
    if (closed) return Promise.reject(closed);
    const id = this.nextId++;
    return new Promise<HubMessage>((resolve, reject) => {
      const timeoutMs = this.options.requestTimeoutMs ?? 30_000;
      const timer = timers.setTimeout(() => {
        this.pending.delete(id);
        reject(new HubError('timeout', `The hub did not answer "${message.type}" within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.transport.send(JSON.stringify({ id, ...message })); // id first: the hub can answer even a frame too big to parse
    });
  }

  /** Sends a message that has no reply (acks). */
  notify(message: ClientMessage): void {
    this.transport.send(JSON.stringify(message));
  }

  async expect<T extends HubMessage['type']>(
    type: T,
    message: Outgoing<ClientMessageType>,
  ): Promise<HubMessageOf<T>> {
    const reply = await this.request(message);
    if (reply.type !== type) throw new Error(`Expected "${type}" from the hub, got "${reply.type}".`);
    return reply as HubMessageOf<T>;
  }

  /** Who the hub says this connection is, once `auth` has succeeded. */
  self: HubMessageOf<'auth.ok'> | undefined;

  async auth(token: string, client?: string) {
    this.self = await this.expect('auth.ok', { type: 'auth', token, ...(client ? { client } : {}) });
    return this.self;
  }
  async listSessions() {
    return (await this.expect('session.list.result', { type: 'session.list' })).sessions;
  }
  async createSession(options: Omit<SessionCreate, 'type' | 'id'> = {}) {
    return (await this.expect('session.created', { type: 'session.create', ...options })).session;
  }
  async screen(session: string) {
    return (await this.expect('session.screen.result', { type: 'session.screen', session })).screen;
  }
  kill(session: string) {
    return this.expect('ok', { type: 'session.kill', session });
  }
  remove(session: string) {
    return this.expect('ok', { type: 'session.remove', session });
  }
  async renameSession(session: string, name: string) {
    return (await this.expect('session.created', { type: 'session.rename', session, name })).session;
  }
  /** Starts an ended session again (same id, name, directory, command; a Claude session resumes). */
  async restartSession(session: string) {
    return (await this.expect('session.created', { type: 'session.restart', session })).session;
  }
  async duplicateSession(session: string, name?: string) {
    const request = { type: 'session.duplicate' as const, session, ...(name ? { name } : {}) };
    return (await this.expect('session.created', request)).session;
  }
  /** `terminal`: this process's terminal, for the hub to read and write itself (local owner; issue 12). */
  attach(session: string, mode: AttachMode, options: { terminal?: string } = {}) {
    const terminal = options.terminal === undefined ? {} : { terminal: options.terminal };
    return this.expect('pty.snapshot', { type: 'attach', session, mode, ...terminal });
  }
  detach(session: string) {
    return this.expect('ok', { type: 'detach', session });
  }
  input(session: string, data: string, options: { submit?: boolean } = {}) {
    return this.expect('ok', {
      type: 'pty.input',
      session,
      data,
      ...(options.submit ? { submit: true } : {}),
    });
  }
  /**
   * Keystrokes as a person types them: no id, so the hub sends no `ok` (issue 12). A refusal (`lease_held`,
   * `not_allowed`, …) comes as an `error` without `replyTo` naming `session`: to `onRefusal` and
   * `onMessage`. False when nothing was sent because the connection is closed (see `closedError`).
   */
  type(session: string, data: string): boolean {
    if (this.isClosed) return false;
    if (data.length > 0) this.notify({ type: 'pty.input', session, data });
    return true;
  }
  interrupt(session: string) {
    return this.expect('ok', { type: 'pty.interrupt', session });
  }
  resize(session: string, cols: number, rows: number) {
    return this.expect('ok', { type: 'pty.resize', session, cols, rows });
  }
  ack(session: string, chars: number): void {
    if (chars > 0) this.notify({ type: 'pty.ack', session, chars });
  }
  leaseRequest(session: string) {
    return this.expect('ok', { type: 'lease.request', session });
  }
  leaseRelease(session: string) {
    return this.expect('ok', { type: 'lease.release', session });
  }
  leaseGrant(session: string, clientId: string) {
    return this.expect('ok', { type: 'lease.grant', session, clientId });
  }
  leaseTake(session: string) {
    return this.expect('ok', { type: 'lease.take', session });
  }
  createInvite(
    role: 'driver' | 'observer',
    options: { session?: string; ttlSeconds?: number; name?: string; approve?: boolean } = {},
  ) {
    return this.expect('invite.created', { type: 'invite.create', role, ttlSeconds: 3600, ...options });
  }
  listInvites() {
    return this.expect('invite.list.result', { type: 'invite.list' });
  }
  revokeInvite(invite: string) {
    return this.expect('invite.revoked', { type: 'invite.revoke', invite });
  }
  kick(clientId: string) {
    return this.expect('ok', { type: 'client.kick', clientId });
  }
  async activity(session: string, limit?: number) {
    return (
      await this.expect('session.activity.result', {
        type: 'session.activity',
        session,
        ...(limit ? { limit } : {}),
      })
    ).events;
  }
  setLan(on: boolean, options: { bind?: string; port?: number } = {}) {
    return this.expect('lan.state', { type: 'lan.set', on, ...options });
  }
  decideJoin(request: string, allow: boolean) {
    return this.expect('ok', { type: 'join.decide', request, allow });
  }
  async inbox() {
    return (await this.expect('inbox.items', { type: 'inbox.list' })).items;
  }
  answer(item: string, answer: InboxAnswer) {
    return this.expect('inbox.answered', { type: 'inbox.answer', item, answer });
  }

  close(): void {
    this.transport.close();
  }

  private receive(frame: string): void {
    let message: HubMessage;
    try {
      message = parseHubMessage(frame);
    } catch {
      this.unreadable(frame);
      return;
    }
    const replyTo = 'replyTo' in message ? message.replyTo : undefined;
    if (typeof replyTo === 'number' && this.pending.has(replyTo)) {
      const pending = this.pending.get(replyTo)!;
      this.pending.delete(replyTo);
      timers.clearTimeout(pending.timer);
      if (message.type === 'error') pending.reject(new HubError(message.code, message.message));
      else pending.resolve(message);
    } else if (message.type === 'error' && replyTo === undefined && message.session !== undefined) {
      const error = new HubError(message.code, message.message);
      for (const listener of [...this.refusalListeners]) listener(message.session, error);
    }
    if (this.options.autoAck && message.type === 'pty.output')
      this.autoAck(message.session, message.data.length);
    for (const listener of [...this.listeners]) listener(message);
  }

  private receiveBinary(bytes: Uint8Array): void {
    let frame: OutputFrame;
    try {
      frame = decodeOutputFrame(bytes);
    } catch {
      return; // not an output frame of this version: nothing waits for it
    }
    if (this.options.autoAck) this.autoAck(frame.session, frame.chars);
    for (const listener of [...this.outputListeners]) listener(frame);
    if (this.options.rawOutput || this.listeners.size === 0) return;
    const message: HubMessage = {
      type: 'pty.output',
      session: frame.session,
      offset: frame.offset,
      data: outputText(frame),
    };
    for (const listener of [...this.listeners]) listener(message);
  }

  /** A frame this client cannot parse: a hub of another version. Fail the request it answers, clearly. */
  private unreadable(frame: string): void {
    let replyTo: unknown;
    try {
      replyTo = (JSON.parse(frame) as { replyTo?: unknown }).replyTo;
    } catch {
      return;
    }
    const pending = typeof replyTo === 'number' ? this.pending.get(replyTo) : undefined;
    if (!pending || typeof replyTo !== 'number') return;
    this.pending.delete(replyTo);
    timers.clearTimeout(pending.timer);
    pending.reject(
      new HubError(
        'internal',
        'The hub answered in a form this client does not understand; restart the hub with this version.',
      ),
    );
  }

  private autoAck(session: string, chars: number): void {
    const pending = (this.unackedBySession.get(session) ?? 0) + chars;
    this.unackedBySession.set(session, pending);
    if (pending >= ACK_BATCH_CHARS) return this.flushAcks();
    if (this.ackTimer === undefined) this.ackTimer = timers.setTimeout(() => this.flushAcks(), ACK_DELAY_MS);
  }

  private flushAcks(): void {
    if (this.ackTimer !== undefined) timers.clearTimeout(this.ackTimer);
    this.ackTimer = undefined;
    for (const [session, chars] of this.unackedBySession) if (!this.isClosed) this.ack(session, chars);
    this.unackedBySession.clear();
  }

  private closed(reason: string): void {
    if (this.ackTimer !== undefined) timers.clearTimeout(this.ackTimer);
    if (this.closedReason !== undefined) return;
    this.closedReason = reason;
    for (const [id, pending] of this.pending) {
      timers.clearTimeout(pending.timer);
      pending.reject(new HubError('internal', `Connection to the hub closed (${reason}).`));
      this.pending.delete(id);
    }
    for (const listener of [...this.closeListeners]) listener(reason);
  }
}
