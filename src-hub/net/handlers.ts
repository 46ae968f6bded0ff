// The handler table: one function per client message type, each checking the caller's role first.
import { hostname } from 'node:os';
import { HubError } from '../../src-protocol/index.js';
import { attachHandlers } from './attachHandlers.js';
import { taskHandlers } from './taskHandlers.js';
import { sessionActionHandlers } from './sessionActionHandlers.js';
import { inboxHandlers } from './inboxHandlers.js';
import { noticeHandlers } from './noticeHandlers.js';
import { approved, inviteHandlers } from './inviteHandlers.js';
import { refusal } from './listeners.js';
import { requireOwner, visibleSession } from './access.js';
import { ok, type HandlerTable } from './handlerTable.js';

export const handlers: HandlerTable = {
  auth: async (connection, message) => {
    const { context, endpoint } = connection;
    if (connection.principal) throw new HubError('not_allowed', 'This connection is already authenticated.');
    const principal = context.auth.authenticate(message.token);
    if (!principal) {
      const address = endpoint.remoteAddress;
      const blocked = context.limiter.isBlocked(address);
      if (!blocked) context.limiter.record(address);
      context.logger.event('auth.failed', { address, client: message.client ?? null });
      const error = blocked
        ? new HubError('rate_limited', 'Too many failed attempts from this address; wait a minute.')
        : new HubError('unauthorized', 'Wrong or expired token.');
      connection.fail(message.id, error, true);
      return;
    }
    // A right credential on the wrong listener is refused without counting against the address.
    const refused = refusal(endpoint.listener ?? 'local', principal, endpoint.remoteAddress);
    if (refused) {
      context.logger.event('auth.refused', {
        address: endpoint.remoteAddress,
        credential: principal.credential,
      });
      connection.fail(message.id, refused, true);
      return;
    }
    if (principal.approve && !(await approved(connection, principal, message.id))) return;
    // A browser's connection ticket stands for its login, which counted already.
    if (!message.token.startsWith('sbt_')) context.auth.recordUse(principal);
    connection.authenticated(principal, message.client);
    return {
      type: 'auth.ok',
      replyTo: message.id,
      clientId: connection.clientId,
      role: principal.role,
      hubVersion: context.version,
      hubName: hostname(),
      ...(principal.session ? { session: principal.session } : {}),
    };
  },

  'login.create': (connection, message) => {
    requireOwner(connection, 'create web UI logins');
    const { ticket, expiresAt } = connection.context.webLogin.createLoginTicket({
      role: 'owner',
      credential: 'owner:web',
    });
    connection.context.logger.event('web.login.created', { client: connection.clientId });
    return { type: 'login.created', replyTo: message.id, ticket, path: `/ui/#login=${ticket}`, expiresAt };
  },

  'session.list': async (connection, message) => {
    const scope = connection.principal?.session;
    const { registry, worktrees } = connection.context;
    await connection.context.restoring?.catch(() => undefined);
    const visible = () => registry.list().filter((session) => scope === undefined || session.id === scope);
    // Dirty state is read from git on demand: listing is where people look at it. The sessions' own
    // state is read after git answered, so the list is never older than the events sent meanwhile.
    const dirty = new Map<string, number>();
    await Promise.all(
      visible().map(async (session) => {
        const worktree = worktrees.forSession(session.id);
        if (session.spec.worktree && worktree)
          dirty.set(session.id, (await worktrees.dirtyFiles(worktree).catch(() => [])).length);
      }),
    );
    const sessions = visible().map((session) => {
      const info = session.info();
      const count = dirty.get(session.id);
      return info.worktree && count !== undefined
        ? { ...info, worktree: { ...info.worktree, dirty: count } }
        : info;
    });
    return { type: 'session.list.result', replyTo: message.id, sessions };
  },

  'session.create': async (connection, message) => {
    requireOwner(connection, 'start sessions');
    const { type: _type, id, ...options } = message;
    const session = await connection.context.registry.create(options);
    return { type: 'session.created', replyTo: id, session: session.info() };
  },

  'session.kill': async (connection, message) => {
    requireOwner(connection, 'kill sessions');
    const session = visibleSession(connection, message.session);
    connection.context.logger.event('session.kill', { session: session.id, client: connection.clientId });
    await session.kill({ byUser: true });
    return ok(message.id);
  },

  'session.remove': (connection, message) => {
    requireOwner(connection, 'remove sessions');
    connection.context.registry.remove(visibleSession(connection, message.session).id);
    return ok(message.id);
  },

  'session.activity': (connection, message) => {
    requireOwner(connection, "read a session's activity");
    const session = visibleSession(connection, message.session);
    return {
      type: 'session.activity.result',
      replyTo: message.id,
      session: session.id,
      events: connection.context.events.recent(session.id, message.limit ?? 200),
    };
  },

  'session.screen': (connection, message) => {
    const session = visibleSession(connection, message.session);
    return {
      type: 'session.screen.result',
      replyTo: message.id,
      session: session.id,
      screen: session.mirror.screen(),
    };
  },

  ...attachHandlers,
  ...sessionActionHandlers,
  ...inviteHandlers,
  ...taskHandlers,
  ...inboxHandlers,
  ...noticeHandlers,
};
