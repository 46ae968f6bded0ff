// Attach, input, resize and lease handlers: roles are enforced here, on every message.
import { HubError, splitTerminalKeys, type AttachRole } from '../../src-protocol/index.js';
import { typeSubmission } from '../agents/submission.js';
import { stripTerminalReplies } from '../attach/inputFilter.js';
import { openClientTerminal, type ClientTerminal } from '../attach/clientTerminal.js';
import { Subscription, type ClientSink } from '../attach/subscription.js';
import { TerminalSink } from '../attach/terminalSink.js';
import type { Session } from '../sessions/session.js';
import type { ClientConnection as Connection } from './context.js';
import { requireOwner, visibleSession } from './access.js';
import { UNIX_PEER } from './listeners.js';
import { presenceMessage } from './presence.js';
import { ok, type HandlerTable } from './handlerTable.js';

/** The role this connection has on a session: from its attachment, else from its principal. */
function roleOn(connection: Connection, session: Session): AttachRole | undefined {
  const subscription = session.subscription(connection.clientId);
  if (subscription) return subscription.role;
  return connection.principal?.role === 'owner' ? 'owner' : undefined;
}

function requireRole(connection: Connection, session: Session, action: string): AttachRole {
  const role = roleOn(connection, session);
  if (role === undefined && connection.principal?.role === 'observer') {
    throw new HubError('not_allowed', `Observers cannot ${action}; ask the owner for a driver invite.`);
  }
  if (role === undefined) {
    throw new HubError(
      'not_attached',
      `Attach to session "${session.name}" as a driver before you ${action}.`,
    );
  }
  if (role === 'observer') {
    throw new HubError('not_allowed', `Observers cannot ${action}; attach as a driver to take part.`);
  }
  return role;
}

/**
 * Keystrokes from `connection` into `session`, by the roles and the lease, with terminal replies stripped
 * and the typist recorded: from `pty.input`, or from the client's own terminal the hub reads (issue 12).
 */
function typeInto(connection: Connection, session: Session, text: string, submit?: boolean): void {
  const role = requireRole(connection, session, 'type into it');
  if (role === 'driver') session.lease.admitDriverInput(connection.clientId);
  const keepFocus = role === 'owner' || session.lease.isHolder(connection.clientId);
  const data = stripTerminalReplies(text, keepFocus);
  if (data.length > 0 && submit) typeSubmission(session, data);
  else if (data.length > 0) session.write(data, connection.clientId);
  const attribution = {
    session: session.id,
    client: connection.clientId,
    credential: connection.principal?.credential,
    chars: data.length,
    dropped: text.length - data.length,
  };
  // Who typed, with which credential, how much (never what): in the database, not only the log. Written
  // a few ms later with the inputs around it, so the echo is not held behind it (issue 12).
  const { logger, events, limits } = connection.context;
  events.defer(
    'session.input',
    { ...attribution, name: connection.principal?.name ?? null },
    limits.inputAuditDelayMs,
    () => logger.event('session.input', attribution),
  );
}

/**
 * The sink for an attach that named its terminal: the terminal itself when the hub may take it (an owner
 * on the local socket; see attach/clientTerminal.ts), else the connection, with the reason in the snapshot.
 */
function attachSink(
  connection: Connection,
  session: Session,
  terminalPath: string | undefined,
): { sink: ClientSink; terminal?: { sink: TerminalSink; terminal: ClientTerminal } } {
  const { endpoint } = connection;
  if (terminalPath === undefined) return { sink: endpoint };
  if (connection.principal?.role !== 'owner' || endpoint.remoteAddress !== UNIX_PEER) {
    throw new HubError(
      'not_allowed',
      "Only the owner's attach over the hub's local socket (hub.sock) may hand the hub its terminal; " +
        'attach without naming one.',
    );
  }
  if (terminalPath === session.ttyPath) {
    throw new HubError(
      'invalid_message',
      `${terminalPath} is the terminal session "${session.name}" runs in: attached to itself, its output ` +
        'would feed back into it. Attach from another terminal.',
    );
  }
  const opening = openClientTerminal(terminalPath);
  if ('terminal' in opening) {
    const sink = new TerminalSink(endpoint, opening.terminal);
    return { sink, terminal: { sink, terminal: opening.terminal } };
  }
  const relay: ClientSink = {
    send: (frame) => endpoint.send(frame),
    ...(endpoint.sendStream ? { sendStream: (frame) => endpoint.sendStream!(frame) } : {}),
    bufferedBytes: () => endpoint.bufferedBytes(),
    sendSnapshot: (snapshot) =>
      endpoint.send(JSON.stringify({ ...snapshot, terminal: 'relay', terminalNote: opening.relay })),
  };
  return { sink: relay };
}

/** Reads the keys of a terminal the hub took: the session's into it, the attach command's to the client. */
function readTerminal(connection: Connection, session: Session, terminal: ClientTerminal, observe: boolean) {
  terminal.onInput((text) => {
    const keys = splitTerminalKeys(text, observe);
    // Nothing after a detach key is the session's: the hub lets go of the terminal at once (reading and
    // writing), so what is typed next is the shell's, once the attach has exited.
    // The attach command hears of the detach key once nothing of the hub's can reach the terminal any more
    // (the writer thread may still hold output for it): it resets the terminal then.
    const released = keys.detach ? terminal.closeWithin() : undefined;
    try {
      if (keys.typed.length > 0) typeInto(connection, session, keys.typed);
    } catch (error) {
      connection.fail(undefined, error, false, session.id);
    }
    if (keys.lease) connection.send({ type: 'terminal.key', session: session.id, key: 'lease' });
    void released?.then(() => connection.send({ type: 'terminal.key', session: session.id, key: 'detach' }));
  });
}

type AttachTable = Pick<
  HandlerTable,
  | 'attach'
  | 'detach'
  | 'pty.ack'
  | 'pty.input'
  | 'pty.interrupt'
  | 'pty.resize'
  | 'lease.request'
  | 'lease.release'
  | 'lease.grant'
  | 'lease.take'
>;

export const attachHandlers: AttachTable = {
  attach: async (connection, message) => {
    const session = visibleSession(connection, message.session);
    const principal = connection.principal!;
    if (message.mode === 'drive' && principal.role === 'observer') {
      throw new HubError('not_allowed', 'This invite is for observing only; attach with --observe.');
    }
    const role: AttachRole =
      message.mode === 'observe' ? 'observer' : principal.role === 'owner' ? 'owner' : 'driver';
    const { context } = connection;
    const { sink, terminal } = attachSink(connection, session, message.terminal);
    const subscription = new Subscription(
      connection.clientId,
      role,
      session,
      sink,
      context.limits,
      (reason) =>
        context.logger.event('client.resync', { session: session.id, client: connection.clientId, reason }),
    );
    session.subscribe(subscription);
    connection.attached.add(session.id);
    context.logger.event('client.attached', {
      session: session.id,
      client: connection.clientId,
      role,
      ...(message.terminal === undefined ? {} : { terminal: terminal ? 'direct' : 'relay' }),
    });
    context.events.record('client.attached', {
      session: session.id,
      client: connection.clientId,
      credential: principal.credential,
      name: principal.name ?? null,
      role,
    });
    if (terminal) terminal.sink.written = (chars) => subscription.ack(chars);
    await subscription.start(message.id);
    if (terminal && subscription.status !== 'closed')
      readTerminal(connection, session, terminal.terminal, role === 'observer');
    // Presence went out when the subscription was added; the newcomer gets it after its snapshot too.
    connection.send(presenceMessage(session, context.connections));
  },

  detach: async (connection, message) => {
    const session = visibleSession(connection, message.session);
    if (!connection.attached.delete(session.id)) {
      throw new HubError('not_attached', `Not attached to session "${session.name}".`);
    }
    // A terminal the hub wrote into is let go before the `ok`: the attach resets it after that.
    const released = session.unsubscribe(connection.clientId);
    connection.context.logger.event('client.detached', { session: session.id, client: connection.clientId });
    connection.context.events.record('client.detached', {
      session: session.id,
      client: connection.clientId,
      name: connection.principal?.name ?? null,
    });
    await released;
    return ok(message.id);
  },

  'pty.ack': (connection, message) => {
    const session = visibleSession(connection, message.session);
    const subscription = session.subscription(connection.clientId);
    if (!subscription) throw new HubError('not_attached', `Not attached to session "${session.name}".`);
    subscription.ack(message.chars);
  },

  'pty.input': (connection, message) => {
    typeInto(connection, visibleSession(connection, message.session), message.data, message.submit);
    // A keystroke sent without an id wants no answer (issue 12); a refusal above still comes as an error.
    return message.id === undefined ? undefined : ok(message.id);
  },

  'pty.interrupt': (connection, message) => {
    const session = visibleSession(connection, message.session);
    requireRole(connection, session, 'interrupt it');
    session.write('\x03');
    connection.context.logger.event('session.interrupt', {
      session: session.id,
      client: connection.clientId,
    });
    return ok(message.id);
  },

  'pty.resize': (connection, message) => {
    const session = visibleSession(connection, message.session);
    const role = requireRole(connection, session, 'resize it');
    // A driver the size was handed to (its setter left) keeps sizing it, so the size follows its window.
    const sizes = session.lease.isHolder(connection.clientId) || session.sizer.holds(connection.clientId);
    if (role === 'driver' && !sizes) {
      // Kept: when the driver whose size holds leaves, the size follows this one (issue 13).
      session.sizer.wish(connection.clientId, message.cols, message.rows);
      throw new HubError('not_allowed', 'Only the owner or the input lease holder resizes the session.');
    }
    // Only an attached client can leave (and hand the size on); an owner resizing unattached sets it outright.
    const attached = session.subscription(connection.clientId) !== undefined;
    session.resize(message.cols, message.rows, attached ? connection.clientId : undefined);
    return ok(message.id);
  },

  'lease.request': (connection, message) => {
    const session = visibleSession(connection, message.session);
    requireRole(connection, session, 'request the input lease');
    session.lease.request(connection.clientId);
    return ok(message.id);
  },

  'lease.release': (connection, message) => {
    const session = visibleSession(connection, message.session);
    session.lease.release(connection.clientId);
    return ok(message.id);
  },

  'lease.grant': (connection, message) => {
    const session = visibleSession(connection, message.session);
    // The holder may hand the lease to someone who asked for it (the prompt's accept); else owners only.
    const handOver =
      session.lease.isHolder(connection.clientId) && session.lease.pending.includes(message.clientId);
    if (!handOver) requireOwner(connection, 'grant the input lease');
    const target = session.subscription(message.clientId);
    if (!target || target.role === 'observer') {
      throw new HubError(
        'not_attached',
        `Client "${message.clientId}" is not attached to "${session.name}" as a driver.`,
      );
    }
    session.lease.grant(message.clientId);
    return ok(message.id);
  },

  'lease.take': (connection, message) => {
    requireOwner(connection, 'take over the input lease');
    visibleSession(connection, message.session).lease.take(connection.clientId);
    return ok(message.id);
  },
};
