// Inbox handlers: list what waits on a human, and answer it. Owners see and answer everything; a driver
// invitee answers the items of the sessions its invite covers; an observer sees those items read-only.
import { HubError } from '../../src-protocol/index.js';
import type { InboxRecord } from '../inbox/inbox.js';
import type { ClientConnection } from './context.js';
import { inboxAccess } from './fanOut.js';
import type { HandlerTable } from './handlerTable.js';

const visibleTo = (connection: ClientConnection) => (item: InboxRecord) =>
  inboxAccess(connection.principal, item) !== 'none';

export const inboxHandlers: Pick<HandlerTable, 'inbox.list' | 'inbox.answer'> = {
  'inbox.list': (connection, message) => {
    const items = connection.context.inbox
      .list()
      .filter(visibleTo(connection))
      .map((item) => ({ ...item, readOnly: inboxAccess(connection.principal, item) !== 'answer' }));
    return { type: 'inbox.items', replyTo: message.id, items };
  },

  'inbox.answer': async (connection, message) => {
    const { inbox } = connection.context;
    const principal = connection.principal!;
    const refusal = new HubError(
      'not_allowed',
      'Observers see inbox items read-only; ask the owner for a driver invite to answer them.',
    );
    if (principal.role === 'observer') throw refusal;
    const entry = inbox.resolve(message.item, visibleTo(connection));
    if (inboxAccess(principal, entry.item) !== 'answer') throw refusal;
    const result = await inbox.answer(entry, message.answer, {
      name: principal.name ?? principal.role,
      role: principal.role,
      client: connection.clientName || connection.clientId,
      address: connection.endpoint.remoteAddress,
    });
    return {
      type: 'inbox.answered',
      replyTo: message.id,
      item: entry.item.id,
      message: result.message,
      ...(result.outcome ? { outcome: result.outcome } : {}),
    };
  },
};
