// Handlers for the owner's session actions (issue 13): rename, restart, duplicate; each answers with the
// session as it is now (`session.created`), and clients hear the change as a session event too.
import { requireOwner } from './access.js';
import type { HandlerTable } from './handlerTable.js';

export const sessionActionHandlers: Pick<
  HandlerTable,
  'session.rename' | 'session.restart' | 'session.duplicate'
> = {
  'session.rename': (connection, message) => {
    requireOwner(connection, 'rename sessions');
    const session = connection.context.sessionActions.rename(message.session, message.name);
    return { type: 'session.created', replyTo: message.id, session: session.info() };
  },
  'session.restart': async (connection, message) => {
    requireOwner(connection, 'restart sessions');
    const { sessionActions, logger } = connection.context;
    const session = await sessionActions.restart(message.session);
    logger.event('session.restarted', { session: session.id, client: connection.clientId });
    return { type: 'session.created', replyTo: message.id, session: session.info() };
  },
  'session.duplicate': async (connection, message) => {
    requireOwner(connection, 'duplicate sessions');
    const session = await connection.context.sessionActions.duplicate(message.session, message.name);
    return { type: 'session.created', replyTo: message.id, session: session.info() };
  },
};
