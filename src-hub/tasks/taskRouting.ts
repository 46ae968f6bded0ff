// Routing tasks after they were delegated (issue 17): re-route a queued task to another session (same id,
// its history says so), or re-send a task as a linked copy (retry). Who may, and what is refused, here.
import { randomUUID } from 'node:crypto';
import {
  HubError,
  isFinalTaskStatus,
  type TaskHistoryEntry,
  type TaskInfo,
} from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import { checkVisible } from './taskAccess.js';
import type { Caller, RouterPorts } from './routerPorts.js';
import type { NewTask } from './taskStore.js';

/** What the router lends its routing rules: its ports, and the steps it owns. */
export interface RoutingHooks {
  ports: RouterPorts;
  now(): number;
  deadlineMs: number;
  resolveFor(caller: Caller, reference: string): Session;
  /** Records a task and queues its instructions for its target (no event yet). */
  record(task: NewTask, id: string): TaskInfo;
  /** Tells listeners about a new or changed task and arms its deadline if it is open. */
  announce(task: TaskInfo): void;
  cancel(task: TaskInfo, reason: string): Promise<TaskInfo>;
  /** Starts a session for a task in `cwd`: a Claude session, or a worker when the caller is one. */
  start(caller: Caller, cwd: string, worktree: boolean | string | undefined, task: string): Promise<Session>;
}

export interface RetryArgs {
  to?: string | undefined;
  cwd?: string | undefined;
  worktree?: boolean | string | undefined;
  force?: boolean | undefined;
}

const short = (id: string) => id.slice(0, 8);

/** The owner routes every task; a session only the tasks it delegated; nobody else sees the task. */
export function checkMayRoute(caller: Caller, task: TaskInfo, action: string): void {
  const self = caller.session?.id;
  if (self === undefined || self === task.fromSession) return;
  checkVisible(self, task);
  throw new HubError(
    'not_allowed',
    `Task ${task.id} was delegated by ${task.fromName}; only it or the owner may ${action} it.`,
  );
}

/** A task goes to a live Claude session other than its delegator and (for a re-route) where it is. */
function checkDestination(task: TaskInfo, target: Session, action: 'delegate' | 're-route'): void {
  if (target.kind !== 'claude')
    throw new HubError(
      'not_allowed',
      `Session "${target.name}" is not a Claude session; tasks go only to Claude sessions.`,
    );
  if (target.isEnded)
    throw new HubError('session_ended', `Session "${target.name}" has ended; choose a live session.`);
  if (target.id === task.fromSession)
    throw new HubError(
      'not_allowed',
      `Session "${target.name}" delegated task ${short(task.id)}; it cannot be its own target.`,
    );
  if (action === 're-route' && target.id === task.toSession)
    throw new HubError(
      'same_session',
      `Task ${short(task.id)} is already queued for "${target.name}"; choose another session.`,
    );
}

export class TaskRouting {
  constructor(private readonly hooks: RoutingHooks) {}

  private get store() {
    return this.hooks.ports.store;
  }

  /**
   * Moves a task not yet typed into its session to another Claude session: the same task (id, deadline,
   * parent), its queued instructions withdrawn from the first session and queued for the second in one
   * transaction, so the first never gets them.
   */
  reroute(caller: Caller, reference: string, to: string): TaskInfo {
    const task = this.store.get(reference);
    checkMayRoute(caller, task, 're-route');
    if (task.status !== 'queued') throw this.alreadyDelivered(task, to);
    const target = this.hooks.resolveFor(caller, to);
    checkDestination(task, target, 're-route');
    const step: TaskHistoryEntry = {
      at: new Date(this.hooks.now()).toISOString(),
      kind: 'rerouted',
      by: caller.name,
      text: `re-routed from ${task.toName} to ${target.name} by ${caller.name}`,
      fromSession: task.toSession,
      toSession: target.id,
    };
    const moved = this.store.atomically(() =>
      this.hooks.ports.moveInputForTask(task.id, target.id)
        ? this.store.moveTo(task.id, target, step)
        : undefined,
    );
    // Its instructions were typed meanwhile: nothing moved.
    if (!moved) throw this.alreadyDelivered(this.store.get(task.id), to);
    this.hooks.announce(moved);
    return moved;
  }

  private alreadyDelivered(task: TaskInfo, to: string): HubError {
    return new HubError(
      'task_delivered',
      `Task ${short(task.id)} was already delivered to ${task.toName} (${task.status}); only a queued task ` +
        `moves. Send a copy instead: switchboard retry ${short(task.id)} --to ${to}`,
    );
  }

  /**
   * Re-sends a task as a copy, to `to`, a new session in `cwd`, or by default where it went (a new session
   * in that directory if that session has ended). The copy and the original name each other; an open
   * original is cancelled first (a running one only with `force`).
   */
  async retry(
    caller: Caller,
    reference: string,
    args: RetryArgs,
  ): Promise<{ task: TaskInfo; original: TaskInfo }> {
    const original = this.store.get(reference);
    checkMayRoute(caller, original, 'retry');
    this.checkRetry(original, args);
    const id = randomUUID();
    const target = await this.destination(caller, original, args, id);
    const reason = `cancelled: re-sent as ${short(id)} by ${caller.name}`;
    if (!isFinalTaskStatus(original.status)) await this.hooks.cancel(original, reason);
    const at = new Date(this.hooks.now()).toISOString();
    const { task, linked } = this.store.atomically(() => {
      const copy = this.hooks.record(
        {
          parentId: original.parentId,
          fromSession: original.fromSession,
          fromName: original.fromName,
          toSession: target.id,
          toName: target.name,
          title: original.title,
          instructions: original.instructions,
          deadlineAt: new Date(this.hooks.now() + this.hooks.deadlineMs).toISOString(),
          retryOf: original.id,
          history: [
            {
              at,
              kind: 'retry',
              by: caller.name,
              task: original.id,
              text: `a copy of ${short(original.id)} (${original.status} on ${original.toName}), sent by ${caller.name}`,
            },
          ],
        },
        id,
      );
      const step: TaskHistoryEntry = {
        at,
        kind: 'retried',
        by: caller.name,
        task: id,
        text: `re-sent as ${short(id)} to ${target.name} by ${caller.name}`,
      };
      return { task: copy, linked: this.store.retriedAs(original.id, id, step) };
    });
    this.hooks.announce(linked);
    this.hooks.announce(task);
    return { task, original: linked };
  }

  private checkRetry(original: TaskInfo, args: RetryArgs): void {
    if (original.retriedAs)
      throw new HubError(
        'not_allowed',
        `Task ${short(original.id)} was already re-sent as ${short(original.retriedAs)}; retry that one instead.`,
      );
    if (args.to && args.cwd)
      throw new HubError(
        'invalid_message',
        'Give either "to" (a session) or "cwd" (a new session), not both.',
      );
    if (args.to && args.worktree)
      throw new HubError(
        'invalid_message',
        'A worktree is made for a new session; drop "to" or drop "worktree".',
      );
    if (original.status === 'running' && !args.force)
      throw new HubError(
        'task_running',
        `Task ${short(original.id)} is running in ${original.toName}; a copy would do the work twice. Cancel ` +
          'it first, or retry with --force (force: true) to cancel it and send the copy.',
      );
  }

  /** Where the copy goes, checked (and a new session started) before anything about the original changes. */
  private async destination(
    caller: Caller,
    original: TaskInfo,
    args: RetryArgs,
    id: string,
  ): Promise<Session> {
    const previous = this.hooks.ports.findSession(original.toSession);
    const reference = args.to ?? (args.cwd || !previous || previous.isEnded ? undefined : previous.id);
    if (reference !== undefined) {
      const target = this.hooks.resolveFor(caller, reference);
      checkDestination(original, target, 'delegate');
      return target;
    }
    const cwd = args.cwd ?? previous?.spec.cwd;
    if (!cwd)
      throw new HubError(
        'invalid_message',
        `The session task ${short(original.id)} went to is gone; say where the copy goes: "to" or "cwd".`,
      );
    return this.hooks.start(caller, cwd, args.worktree, id);
  }
}
