// The inbox and the parts that fill it, built together and wired to the hub's events: hooks (permission
// requests held, answers given in the terminal, questions), sessions (ended, dialogs on screen) and tasks
// (finished work to review); worker starts that failed for a person to fix come from the hub (faults). Every change goes to the audit trail: the hub log and the event table.
import type { TaskInfo } from '../../src-protocol/index.js';
import type { RoutedHook } from '../agents/hookRouter.js';
import { typeSubmission } from '../agents/submission.js';
import type { Disposable, Event } from '../events.js';
import type { Logger } from '../logger.js';
import type { SessionChange } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import type { EventLog } from '../store/eventLog.js';
import type { MergeMode, MergeOutcome } from '../workspaces/worktrees.js';
import { DialogItems } from './dialogs.js';
import { FaultItems } from './faults.js';
import { Inbox, type InboxChange, type InboxRecord } from './inbox.js';
import { PermissionHolds } from './permissions.js';
import { QuestionItems } from './questions.js';
import { ReviewItems } from './reviews.js';

export interface InboxPartsDeps {
  now: () => number;
  logger: Pick<Logger, 'event'>;
  eventLog: Pick<EventLog, 'record'>;
  holdMs: number;
  /** Tasks by id, and the open tasks a session serves (newest last). */
  task(id: string): TaskInfo | undefined;
  servedBy(session: string): TaskInfo[];
  findSession(id: string): Session | undefined;
  /** The worktree merge of a task (workspaces/taskWorktrees.ts). */
  merge(task: string, mode: MergeMode, force: boolean): Promise<MergeOutcome>;
}

export interface InboxEvents {
  onDidRouteHook: Event<RoutedHook>;
  onDidChangeSession: Event<SessionChange>;
  onDidChangeTask: Event<TaskInfo>;
}

/** The task a session serves, and the delegations above it, root first. */
export function taskContext(
  deps: Pick<InboxPartsDeps, 'task' | 'servedBy'>,
  session: string,
): Pick<InboxRecord, 'task' | 'chain'> {
  const served = deps.servedBy(session).at(-1);
  if (!served) return { task: null, chain: [] };
  const chain: NonNullable<InboxRecord['chain']> = [];
  const seen = new Set<string>();
  for (let task: TaskInfo | undefined = served; task && !seen.has(task.id);) {
    seen.add(task.id);
    chain.unshift({ session: task.fromSession, name: task.fromName, task: task.id });
    task = task.parentId ? deps.task(task.parentId) : undefined;
  }
  return { task: { id: served.id, title: served.title }, chain };
}

export function createInboxParts(deps: InboxPartsDeps) {
  const inbox = new Inbox(deps.now);
  const context = (session: string) => taskContext(deps, session);
  const findSession = (id: string) => deps.findSession(id);
  const questions = new QuestionItems({
    inbox,
    findSession,
    context,
    submit: (session, text) => typeSubmission(session, text),
  });
  // Dialogs and permission holds ask each other only later, from events: whether a request is held (its
  // prompt is then that item), and a hold that lets go makes the screen worth a look.
  const dialogs: DialogItems = new DialogItems({
    inbox,
    findSession,
    context,
    holding: (session) => permissions.holding(session),
    dialogAdded: (session) => questions.dialogAdded(session),
  });
  const permissions = new PermissionHolds({
    inbox,
    holdMs: deps.holdMs,
    context,
    released: (session) => void dialogs.look(session),
  });
  const reviews = new ReviewItems({
    inbox,
    merge: (task, mode, force) => deps.merge(task, mode, force),
    context,
  });
  const faults = new FaultItems({ inbox, context });

  /** Subscribes the parts to the hub's events, and the audit trail to the inbox's. */
  function listen(events: InboxEvents): Disposable {
    const subscriptions = [
      inbox.onDidChangeItem((change) => audit(deps, change)),
      events.onDidRouteHook(({ session, payload }) => {
        permissions.hookSeen(session.id, payload);
        questions.hookSeen(session, payload);
      }),
      events.onDidChangeSession(({ kind, info }) => {
        if (kind === 'removed' || info.status === 'ended') {
          permissions.sessionEnded(info.id);
          questions.sessionEnded(info.id);
          dialogs.sessionEnded(info.id);
        } else if (
          info.kind === 'claude' &&
          (info.status === 'waiting' || inbox.of(info.id, 'dialog').length > 0)
        )
          void dialogs.look(info.id);
      }),
      events.onDidChangeTask((task) => reviews.taskChanged(task)),
    ];
    return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
  }

  /** The owner's own merge of a task's work (`worktree.merge`): its review item, if any, is done. */
  async function mergeTask(task: string, mode: MergeMode, force: boolean): Promise<MergeOutcome> {
    const outcome = await deps.merge(task, mode, force);
    if (outcome.outcome !== 'conflict') reviews.merged(task);
    return outcome;
  }

  return { inbox, permissions, faults, listen, mergeTask };
}

function audit(deps: Pick<InboxPartsDeps, 'logger' | 'eventLog'>, change: InboxChange): void {
  const { item } = change;
  const fields = {
    session: item.session,
    item: item.id,
    kind: item.kind,
    title: item.title,
    ...(change.reason ? { reason: change.reason } : {}),
    ...(change.answer ? { action: change.answer.action } : {}),
    ...(change.answeredBy
      ? {
          by: change.answeredBy.name,
          role: change.answeredBy.role,
          client: change.answeredBy.client,
          address: change.answeredBy.address,
        }
      : {}),
  };
  const event =
    change.kind === 'removed' && change.reason === 'answered' ? 'inbox.answered' : `inbox.${change.kind}`;
  deps.logger.event(event, fields);
  if (change.kind !== 'updated') deps.eventLog.record(event, fields);
}
