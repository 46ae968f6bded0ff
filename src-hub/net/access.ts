// Access checks shared by the handlers: owner-only actions, and sessions an invite may see.
import { HubError } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import type { Connection } from './connection.js';

export function requireOwner(connection: Connection, action: string): void {
  if (connection.principal?.role !== 'owner') {
    throw new HubError('not_allowed', `Only the hub's owner may ${action}.`);
  }
}

/** Resolves a session the caller may see: an invite scoped to one session sees no other. */
export function visibleSession(connection: Connection, reference: string): Session {
  const session = connection.context.registry.resolve(reference);
  const scope = connection.principal?.session;
  if (scope !== undefined && scope !== session.id) {
    throw new HubError('unknown_session', `No session "${reference}"; \`switchboard ls\` lists them.`);
  }
  return session;
}
