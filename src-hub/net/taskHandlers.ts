// Task handlers for the owner's clients (CLI, desktop app): delegate, list, get, cancel.
import type { HubMessage } from '../../src-protocol/index.js';
import { requireOwner } from './access.js';
import type { HandlerTable } from './handlerTable.js';

const owner = { session: null, name: 'owner' } as const;

export const taskHandlers: Pick<
  HandlerTable,
  'task.delegate' | 'task.list' | 'task.get' | 'task.cancel' | 'worktree.merge'
> = {
  'task.delegate': async (connection, message): Promise<HubMessage> => {
    requireOwner(connection, 'delegate tasks');
    const { type: _type, id, ...args } = message;
    const task = await connection.context.router.delegate(owner, args);
    return { type: 'task.result', replyTo: id, task };
  },
  'task.list': (connection, message) => {
    requireOwner(connection, 'list tasks');
    return { type: 'task.list.result', replyTo: message.id, tasks: connection.context.router.list(owner) };
  },
  'task.get': async (connection, message) => {
    requireOwner(connection, 'read tasks');
    const task = await connection.context.router.get(owner, message.task, message.waitSeconds);
    return { type: 'task.result', replyTo: message.id, task };
  },
  'task.cancel': async (connection, message) => {
    requireOwner(connection, 'cancel tasks');
    return {
      type: 'task.result',
      replyTo: message.id,
      task: await connection.context.router.cancel(owner, message.task),
    };
  },
  'worktree.merge': async (connection, message) => {
    requireOwner(connection, 'merge work back');
    const outcome = await connection.context.mergeTask(message.task, message.mode, message.force === true);
    return { type: 'worktree.merge.result', replyTo: message.id, ...outcome };
  },
};
