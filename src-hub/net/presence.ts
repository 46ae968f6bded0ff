// Presence: who is attached to a session with which role, sent to its attached clients and to owners.
import type { HubMessage } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import type { ClientConnection as Connection } from './context.js';

export function presenceMessage(session: Session, connections: Iterable<Connection>): HubMessage {
  const byId = new Map<string, Connection>();
  for (const connection of connections) byId.set(connection.clientId, connection);
  return {
    type: 'session.presence',
    session: session.id,
    clients: session.participants().map(({ clientId, role }) => {
      const connection = byId.get(clientId);
      const name = connection?.principal?.name;
      return { clientId, role, client: connection?.clientName ?? 'client', ...(name ? { name } : {}) };
    }),
  };
}

/** Whether a connection may see a session's presence: attached to it, or an owner. */
export function seesPresence(connection: Connection, session: Session): boolean {
  const principal = connection.principal;
  if (!principal) return false;
  if (principal.session !== undefined && principal.session !== session.id) return false;
  return connection.attached.has(session.id) || principal.role === 'owner';
}

/** Sends presence to everyone who sees it, when it changed since the last time; remembers it per session. */
export class PresenceBroadcaster {
  private readonly last = new Map<string, string>();

  constructor(private readonly connections: Set<Connection>) {}

  changed(session: Session): void {
    if (session.isEnded && session.participants().length === 0) return this.forget(session.id);
    const frame = JSON.stringify(presenceMessage(session, this.connections));
    if (this.last.get(session.id) === frame) return;
    this.last.set(session.id, frame);
    for (const connection of this.connections) if (seesPresence(connection, session)) connection.send(frame);
  }

  forget(sessionId: string): void {
    this.last.delete(sessionId);
  }
}
