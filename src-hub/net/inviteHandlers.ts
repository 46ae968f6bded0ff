// Invites as the owner manages them (create a link, list, revoke), join approval, and kicking a client.
import {
  HubError,
  type ConnectionClosing,
  type InviteInfo,
  type RequestId,
} from '../../src-protocol/index.js';
import { inviteName, type Principal } from './auth.js';
import { requireOwner, visibleSession } from './access.js';
import type { ClientConnection as Connection, HubContext } from './context.js';
import { ok, type HandlerTable } from './handlerTable.js';

/** WebSocket close code for a client the owner sent away (revoked, kicked, refused). */
export const CLOSE_SENT_AWAY = 4403;

/** Tells a client why, then closes its connection. */
export function sendAway(connection: Connection, reason: ConnectionClosing['reason'], message: string): void {
  connection.send({ type: 'connection.closing', reason, message });
  connection.endpoint.close(CLOSE_SENT_AWAY, reason);
}

/** The link an invitee opens (browser) or passes to `switchboard join`: on the LAN listener when there is one. */
export function inviteLink(context: HubContext, token: string): { link: string; lan: boolean } {
  const { lan, local } = context.listeners;
  if (lan) return { link: `${lan.url}/ui/#invite=${token}&fp=${lan.fingerprint}`, lan: true };
  return { link: `${local ?? 'http://127.0.0.1:7317'}/ui/#invite=${token}`, lan: false };
}

/**
 * Holds an `auth` until the owner decides on this join (invites made with `approve`); answers a refusal
 * itself and returns false.
 */
export async function approved(connection: Connection, principal: Principal, replyTo: RequestId) {
  connection.holdAuthDeadline();
  const { context, endpoint } = connection;
  const outcome = await context.approvals.wait(principal, endpoint.remoteAddress, connection.gone);
  if (outcome === 'approved') return true;
  if (outcome !== 'gone')
    connection.fail(
      replyTo,
      new HubError(
        'not_allowed',
        outcome === 'expired'
          ? `The hub's owner did not approve this join within ${Math.round(context.approvals.waitMs / 1000)} s; ask them, then try again.`
          : "The hub's owner refused this join.",
      ),
      true,
    );
  return false;
}

function inviteInfos(context: HubContext): InviteInfo[] {
  return context.auth.listInvites().map((invite) => ({
    id: invite.shortId,
    name: inviteName(invite),
    role: invite.role,
    session: invite.session ?? null,
    expiresAt: new Date(invite.expiresAt).toISOString(),
    approve: invite.approve === true,
    uses: invite.uses ?? 0,
    clients: [...context.connections]
      .filter((connection) => connection.principal?.credential === `invite:${invite.shortId}`)
      .map((connection) => ({
        clientId: connection.clientId,
        address: connection.endpoint.remoteAddress,
        client: connection.clientName,
      })),
  }));
}

type InviteTable = Pick<
  HandlerTable,
  'invite.create' | 'invite.list' | 'invite.revoke' | 'client.kick' | 'join.decide' | 'lan.set'
>;

export const inviteHandlers: InviteTable = {
  'invite.create': (connection, message) => {
    requireOwner(connection, 'create invites');
    const { context } = connection;
    const session = message.session ? visibleSession(connection, message.session).id : undefined;
    const { token, invite, expiresAt } = context.auth.createInvite(
      message.role,
      message.ttlSeconds,
      session,
      {
        ...(message.name ? { name: message.name } : {}),
        ...(message.approve ? { approve: true } : {}),
      },
    );
    const { link, lan } = inviteLink(context, token);
    const fields = { invite: invite.shortId, role: message.role, session, name: inviteName(invite), lan };
    context.logger.event('invite.created', fields);
    context.events.record('invite.created', { ...fields, session: session ?? null });
    return {
      type: 'invite.created',
      replyTo: message.id,
      id: invite.shortId,
      token,
      link,
      lan,
      role: message.role,
      name: inviteName(invite),
      approve: invite.approve === true,
      expiresAt,
      ...(session ? { session } : {}),
    };
  },

  'invite.list': (connection, message) => {
    requireOwner(connection, 'list invites');
    const { context } = connection;
    return {
      type: 'invite.list.result',
      replyTo: message.id,
      invites: inviteInfos(context),
      joinRequests: context.approvals.list(),
      lan: context.listeners.lan ?? null,
    };
  },

  'invite.revoke': (connection, message) => {
    requireOwner(connection, 'revoke invites');
    const { context } = connection;
    const invite = context.auth.revokeInvite(message.invite);
    if (!invite)
      throw new HubError(
        'unknown_invite',
        `No live invite has the id "${message.invite}"; \`switchboard invites\` lists them.`,
      );
    const credential = `invite:${invite.shortId}`;
    context.webLogin.revokeCredential(credential);
    context.approvals.refuseInvite(invite.shortId);
    let disconnected = 0;
    for (const other of [...context.connections]) {
      if (other.principal?.credential !== credential) continue;
      sendAway(other, 'revoked', "The hub's owner revoked the invite you joined with.");
      disconnected++;
    }
    context.logger.event('invite.revoked', { invite: invite.shortId, disconnected });
    context.events.record('invite.revoked', {
      invite: invite.shortId,
      name: inviteName(invite),
      disconnected,
    });
    return { type: 'invite.revoked', replyTo: message.id, id: invite.shortId, disconnected };
  },

  'client.kick': (connection, message) => {
    requireOwner(connection, 'disconnect people');
    const { context } = connection;
    const target = [...context.connections].find((other) => other.clientId === message.clientId);
    if (!target?.principal)
      throw new HubError('not_attached', `No client "${message.clientId.slice(0, 100)}" is connected.`);
    if (target.principal.role === 'owner')
      throw new HubError('not_allowed', "The owner's own connections cannot be kicked.");
    sendAway(target, 'kicked', "The hub's owner disconnected you.");
    const fields = { client: target.clientId, credential: target.principal.credential };
    context.logger.event('client.kicked', fields);
    context.events.record('client.kicked', { ...fields, name: target.principal.name ?? null });
    return ok(message.id);
  },

  'lan.set': async (connection, message) => {
    requireOwner(connection, 'turn the LAN listener on or off');
    const { context } = connection;
    if (!context.lan) throw new HubError('not_allowed', 'This hub does not listen on the network.');
    const given = {
      ...(message.bind ? { bind: message.bind } : {}),
      ...(message.port !== undefined ? { port: message.port } : {}),
    };
    if (!message.on) await context.lan.stop();
    else await context.lan.start(Object.keys(given).length > 0 ? given : undefined);
    context.events.record('lan.changed', { on: message.on, url: context.listeners.lan?.url ?? null });
    return { type: 'lan.state', replyTo: message.id, lan: context.listeners.lan ?? null };
  },

  'join.decide': (connection, message) => {
    requireOwner(connection, 'approve joins');
    const request = connection.context.approvals.decide(message.request, message.allow);
    connection.context.events.record(message.allow ? 'join.approved' : 'join.refused', {
      request: request.id,
      invite: request.invite,
      name: request.name,
      address: request.address,
    });
    return ok(message.id);
  },
};
