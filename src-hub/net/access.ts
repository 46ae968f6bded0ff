// Access checks shared by the handlers: owner-only actions, and sessions an invite may see.
import { HubError } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import type { ClientConnection as Connection } from './context.js';

export function requireOwner(connection: Connection, action: string): void {
  if (connection.principal?.role !== 'owner') {
    throw new HubError('not_allowed', `Only the hub's owner may ${action}.`);
  }
}

/**
 * Resolves a session the caller may see. A client scoped to one session resolves among that one only, so
 * no error tells it how many others there are or what they are called (issue 9).
 */
export function visibleSession(connection: Connection, reference: string): Session {
  const scope = connection.principal?.session;
  if (scope === undefined) return connection.context.registry.resolve(reference);
  const session = connection.context.registry.find(scope);
  if (session && (reference === session.name || (reference.length > 0 && session.id.startsWith(reference))))
    return session;
  throw new HubError('unknown_session', 'No such session among those this invite may see.');
}
