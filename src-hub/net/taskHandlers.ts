// Task handlers for the owner's clients (CLI, desktop app): delegate, list, get, cancel, re-route, retry.
import { TaskStatusSchema, type HubMessage } from '../../src-protocol/index.js';
import { requireOwner } from './access.js';
import type { HandlerTable } from './handlerTable.js';

const owner = { session: null, name: 'owner' } as const;

export const taskHandlers: Pick<
  HandlerTable,
  | 'task.delegate'
  | 'task.list'
  | 'task.get'
  | 'task.cancel'
  | 'task.reroute'
  | 'task.retry'
  | 'worktree.merge'
  | 'task.history'
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
  'task.reroute': (connection, message) => {
    requireOwner(connection, 're-route tasks');
    const task = connection.context.router.reroute(owner, message.task, message.to);
    return { type: 'task.result', replyTo: message.id, task };
  },
  'task.retry': async (connection, message) => {
    requireOwner(connection, 'retry tasks');
    const { type: _type, id, task: reference, ...args } = message;
    const { task, original } = await connection.context.router.retry(owner, reference, args);
    return { type: 'task.retry.result', replyTo: id, task, original };
  },
  /** Issue 13 #10: every status the event table recorded, so the inspector shows the whole life. */
  'task.history': async (connection, message) => {
    requireOwner(connection, 'read task history');
    const task = await connection.context.router.get(owner, message.task);
    const steps = connection.context.events.taskStatuses(task.id).flatMap((step) => {
      const status = TaskStatusSchema.safeParse(step.status);
      return status.success ? [{ at: step.at, status: status.data }] : [];
    });
    return { type: 'task.history.result', replyTo: message.id, task: task.id, steps };
  },
  'worktree.merge': async (connection, message) => {
    requireOwner(connection, 'merge work back');
    const outcome = await connection.context.mergeTask(message.task, message.mode, message.force === true);
    return { type: 'worktree.merge.result', replyTo: message.id, ...outcome };
  },
};
