// One client connection, whatever carries it: authenticates first, parses every frame at the edge, then
// hands typed messages to the handler table. Expected failures go back as coded errors; the connection
// stays usable.
import { randomBytes } from 'node:crypto';
import {
  FrameError,
  HubError,
  linkedTransports,
  parseClientMessage,
  type ClientMessage,
  type HubMessage,
  type RequestId,
  type Transport,
} from '../../src-protocol/index.js';
import type { Principal } from './auth.js';
import type { ClientConnection, Endpoint, HubContext } from './context.js';
import { handlers } from './handlers.js';

const ID_PATTERN = /"id"\s*:\s*(\d{1,15}|"[^"\\]{1,64}")/;

/**
 * The request id of a frame too large to parse, when it sits near either end (HubClient writes it first),
 * so the refusal still reaches the waiting request.
 */
function peekRequestId(frame: string): RequestId | undefined {
  const match = ID_PATTERN.exec(frame.slice(0, 200)) ?? ID_PATTERN.exec(frame.slice(-200));
  if (!match) return undefined;
  return match[1]!.startsWith('"') ? match[1]!.slice(1, -1) : Number(match[1]);
}

/**
 * The session an id-less message (a keystroke sent without an id, an ack) was about, as the client named
 * it: its refusal has no `replyTo`, so the error names the session for a client typing into several panes.
 */
const aboutSession = (message: ClientMessage): string | undefined =>
  'session' in message && typeof message.session === 'string' ? message.session : undefined;

const MAX_ERROR_MESSAGE_CHARS = 500;
const boundedMessage = (message: string) =>
  message.length > MAX_ERROR_MESSAGE_CHARS ? `${message.slice(0, MAX_ERROR_MESSAGE_CHARS)}…` : message;

export class Connection implements ClientConnection {
  readonly clientId = `c-${randomBytes(5).toString('hex')}`;
  principal: Principal | undefined;
  /** The label the client gave at `auth` (shown in presence lists). */
  clientName = 'client';
  /** Ids of the sessions this connection is attached to. */
  readonly attached = new Set<string>();
  private authTimer: NodeJS.Timeout | undefined;
  private readonly ended = new AbortController();
  readonly gone = this.ended.signal;
  private closed = false;
  /** Set once the hub has decided to close: frames still in flight are not read (or answered). */
  private closing = false;

  constructor(
    readonly endpoint: Endpoint,
    readonly context: HubContext,
  ) {
    this.authTimer = setTimeout(() => {
      // A connection held open without a credential is a failure of its address, like a wrong token.
      context.limiter.record(endpoint.remoteAddress);
      context.logger.event('auth.failed', { address: endpoint.remoteAddress, reason: 'timeout' });
      this.fail(undefined, new HubError('unauthorized', 'No authentication within the time allowed.'), true);
    }, context.limits.authTimeoutMs);
  }

  send(message: HubMessage | string): void {
    if (!this.closed) this.endpoint.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async receive(frame: string): Promise<void> {
    if (this.closed || this.closing) return;
    if (frame.length > this.context.limits.maxFrameChars) {
      const limit = this.context.limits.maxFrameChars;
      const error = new HubError(
        'frame_too_large',
        `Frame of ${frame.length} chars exceeds ${limit}; split the input.`,
      );
      this.fail(peekRequestId(frame), error);
      return;
    }
    let message: ClientMessage;
    try {
      message = parseClientMessage(frame);
    } catch (error) {
      this.fail(error instanceof FrameError ? error.replyTo : undefined, error);
      return;
    }
    const replyTo = 'id' in message ? message.id : undefined;
    if (!this.principal && message.type !== 'auth') {
      this.fail(
        replyTo,
        new HubError('unauthorized', 'Authenticate first: send {"type":"auth","token":…}.'),
        true,
      );
      return;
    }
    try {
      const handler = handlers[message.type] as (connection: Connection, message: ClientMessage) => unknown;
      const reply = (await handler(this, message)) as HubMessage | undefined;
      if (reply) this.send(reply);
    } catch (error) {
      this.fail(replyTo, error, false, replyTo === undefined ? aboutSession(message) : undefined);
    }
  }

  holdAuthDeadline(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = undefined;
  }

  authenticated(principal: Principal, clientName?: string): void {
    // Owners come in with the token, a login ticket or the desktop's ticket: all are called `owner`.
    this.principal =
      principal.name || principal.role !== 'owner' ? principal : { ...principal, name: 'owner' };
    if (clientName) this.clientName = clientName;
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = undefined;
    this.endpoint.authenticated?.();
    this.context.logger.event('client.authenticated', {
      client: this.clientId,
      role: principal.role,
      credential: principal.credential,
      address: this.endpoint.remoteAddress,
    });
    if (principal.role !== 'owner')
      this.context.events.record('client.joined', {
        client: this.clientId,
        credential: principal.credential,
        name: principal.name ?? null,
        address: this.endpoint.remoteAddress,
        listener: this.endpoint.listener ?? 'local',
      });
  }

  /** Sends a coded error; a bug becomes `internal` and is logged with its stack. */
  fail(replyTo: RequestId | undefined, error: unknown, close = false, session?: string): void {
    const expected = error instanceof HubError;
    if (!expected) this.context.logger.error('connection.bug', error, { client: this.clientId });
    if (this.closing) return;
    this.send({
      type: 'error',
      ...(replyTo === undefined ? {} : { replyTo }),
      code: expected ? error.code : 'internal',
      // Never echo unbounded input back: a message quoting a client's field is cut.
      message: expected ? boundedMessage(error.message) : 'Internal hub error; the hub log has details.',
      ...(session === undefined ? {} : { session }),
    });
    if (close) {
      this.closing = true;
      this.endpoint.close(4401, expected ? error.code : 'internal');
    }
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.ended.abort();
    if (this.authTimer) clearTimeout(this.authTimer);
    for (const sessionId of this.attached) {
      const session = this.context.registry.list().find((candidate) => candidate.id === sessionId);
      void session?.unsubscribe(this.clientId);
      this.context.events.record('client.detached', {
        session: sessionId,
        client: this.clientId,
        name: this.principal?.name ?? null,
        reason: 'disconnected',
      });
    }
    this.attached.clear();
    this.context.connections.delete(this);
    if (this.principal) this.context.logger.event('client.disconnected', { client: this.clientId });
  }
}

/** A connection inside the hub's process (the desktop app's main process, tests): a linked transport pair. */
export function openInProcess(context: HubContext, remoteAddress: string): Transport {
  const [hubSide, clientSide] = linkedTransports();
  const connection = new Connection(
    {
      remoteAddress,
      send: (frame) => hubSide.send(frame),
      bufferedBytes: () => 0,
      close: () => hubSide.close(),
    },
    context,
  );
  context.connections.add(connection);
  hubSide.onMessage((frame) => void connection.receive(frame));
  hubSide.onClose(() => connection.dispose());
  return clientSide;
}
