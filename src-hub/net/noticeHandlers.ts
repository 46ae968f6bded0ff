// Notice handlers (issue 13): the owner's windows read the notices the hub kept, and mark them read.
import { ok, type HandlerTable } from './handlerTable.js';
import { requireOwner } from './access.js';

/** What a window shows when nothing else is asked for. */
const DEFAULT_NOTICES = 50;

export const noticeHandlers: Pick<HandlerTable, 'notice.list' | 'notice.read'> = {
  'notice.list': (connection, message) => {
    requireOwner(connection, 'read the notices');
    const { notices, readUpTo } = connection.context.notices.recent(message.limit ?? DEFAULT_NOTICES);
    return { type: 'notice.list.result', replyTo: message.id, notices, readUpTo };
  },

  'notice.read': (connection, message) => {
    requireOwner(connection, 'mark notices read');
    connection.context.notices.markRead(message.upTo); // every owner hears the new mark (notice.event)
    return ok(message.id);
  },
};
