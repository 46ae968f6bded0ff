// The audit trail of lease and task changes: each goes to the hub log, and task changes to the event log.
import type { Disposable } from './events.js';
import type { Logger } from './logger.js';
import type { SessionRegistry } from './sessions/registry.js';
import type { EventLog } from './store/eventLog.js';
import type { TaskRouter } from './tasks/router.js';

export function recordChanges(
  registry: Pick<SessionRegistry, 'onDidChangeLease'>,
  router: Pick<TaskRouter, 'onDidChangeTask'>,
  logger: Pick<Logger, 'event'>,
  eventLog: Pick<EventLog, 'record'>,
): Disposable {
  const lease = registry.onDidChangeLease(({ session, change }) =>
    logger.event('lease.changed', { session: session.id, ...change }),
  );
  const task = router.onDidChangeTask((changed) => {
    logger.event('task.changed', {
      task: changed.id,
      status: changed.status,
      from: changed.fromSession,
      to: changed.toSession,
    });
    eventLog.record('task.changed', { task: changed.id, session: changed.toSession, status: changed.status });
  });
  return { dispose: () => (lease.dispose(), task.dispose()) };
}
