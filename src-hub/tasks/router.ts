// The delegation router: creates durable tasks, delivers them to their target session, closes them on
// report, cancel, deadline or an unreported stop, and brings results back to whoever delegated.
import { randomUUID } from 'node:crypto';
import {
  HubError,
  isFinalTaskStatus as isFinal,
  type TaskInfo,
  type TaskResult,
  type TaskStatus,
} from '../../src-protocol/index.js';
import { Emitter, type Event } from '../events.js';
import type { Session } from '../sessions/session.js';
import { ResultWaiters } from './resultWaiters.js';
import {
  checkMessageTarget,
  checkTarget,
  checkVisible,
  onlyOpenTask,
  outOfReach,
  taskPartners,
} from './taskAccess.js';
import { cancelNotice, oneLine, resultNotice, taskPrompt } from './taskText.js';
import { TaskTimers } from './taskTimers.js';
import { TaskRouting, type RetryArgs } from './taskRouting.js';
import type { NewTask } from './taskStore.js';
import type { Caller, DelegateArgs, RouterPorts, RouterSettings, SpawnWorkerArgs } from './routerPorts.js';

export { MAX_WAIT_SECONDS } from './resultWaiters.js';

export class TaskRouter {
  private readonly waiters = new ResultWaiters();
  private readonly timers: TaskTimers;
  private readonly lastMessages = new Map<string, string>();
  private readonly taskChanged = new Emitter<TaskInfo>();
  /** A task was created or changed status (its result comes with its final status). */
  readonly onDidChangeTask: Event<TaskInfo> = this.taskChanged.event;
  private readonly routing: TaskRouting;

  constructor(
    private readonly ports: RouterPorts,
    private readonly settings: RouterSettings,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.timers = new TaskTimers(now);
    for (const task of ports.store.open()) this.armDeadline(task);
    this.routing = new TaskRouting({
      ports,
      now,
      deadlineMs: settings.deadlineMs,
      resolveFor: (caller, reference) => this.resolveFor(caller, reference),
      record: (task, id) => this.record(task, id),
      announce: (task) => (this.changed(task), this.armDeadline(task)),
      cancel: (task, reason) => this.cancelTree(task, reason),
      start: (caller, cwd, worktree, task) =>
        caller.session && this.ports.isWorker(caller.session.id)
          ? this.ports.startWorker(caller, { repo: cwd, task })
          : this.ports.startClaudeSession(cwd, worktree),
    });
  }

  /** Moves a queued task to another Claude session (docs/architecture.md, "Re-route"). */
  reroute(caller: Caller, reference: string, to: string): TaskInfo {
    return this.routing.reroute(caller, reference, to);
  }

  /** Re-sends a task as a linked copy; the original is cancelled if open. */
  retry(caller: Caller, reference: string, args: RetryArgs): Promise<{ task: TaskInfo; original: TaskInfo }> {
    return this.routing.retry(caller, reference, args);
  }

  async delegate(caller: Caller, args: DelegateArgs): Promise<TaskInfo> {
    if (args.to && args.cwd) {
      throw new HubError(
        'invalid_message',
        'Give either "to" (an existing session) or "cwd" (a new session), not both.',
      );
    }
    const base = this.taskBase(caller, args);
    // A worker's new sessions are workers too: it never starts a process on the hub's machine.
    if (!args.to && caller.session && this.ports.isWorker(caller.session.id)) {
      if (args.worktree)
        throw new HubError(
          'not_allowed',
          'Workers get no worktrees; use spawn_worker, or delegate with "to".',
        );
      return this.spawnWorker(caller, { ...args, repo: args.cwd });
    }
    let task: TaskInfo;
    if (args.to && args.worktree) {
      throw new HubError(
        'invalid_message',
        'A worktree is made for a new session; drop "to" or drop "worktree".',
      );
    }
    if (args.to) {
      const target = this.resolveFor(caller, args.to);
      checkTarget(caller.session?.id, target);
      task = this.record({ ...base, toSession: target.id, toName: target.name }, randomUUID());
    } else {
      const cwd = args.cwd ?? caller.session?.spec.cwd;
      if (!cwd)
        throw new HubError(
          'invalid_message',
          'Say where the work happens: "to" (a session) or "cwd" (a directory).',
        );
      const target = await this.ports.startClaudeSession(cwd, args.worktree);
      return this.launched(randomUUID(), base, target, args.waitSeconds);
    }
    this.changed(task);
    this.armDeadline(task);
    return args.waitSeconds ? this.wait(task.id, args.waitSeconds) : task;
  }

  /** Like `delegate` to a new session, but the session is a worker (docs/workers.md, docs/kubernetes.md). */
  async spawnWorker(caller: Caller, args: SpawnWorkerArgs): Promise<TaskInfo> {
    const id = randomUUID();
    const base = this.taskBase(caller, args);
    const { repo, image, runtime, allowedTools } = args;
    const request = { repo, image, runtime, allowedTools, task: id };
    const target = await this.ports.startWorker(caller, request);
    return this.launched(id, base, target, args.waitSeconds);
  }

  /** What every new task records about who asked, what, and until when. */
  private taskBase(caller: Caller, args: { instructions: string; title?: string | undefined }) {
    const parent = caller.session ? this.currentTask(caller.session.id) : undefined;
    return {
      parentId: parent?.id ?? null,
      fromSession: caller.session?.id ?? null,
      fromName: caller.name,
      title: args.title ?? oneLine(args.instructions, 60),
      instructions: args.instructions,
      deadlineAt: new Date(this.now() + this.settings.deadlineMs).toISOString(),
    };
  }

  /**
   * Records the task of a session started for it, and queues its instructions: they are typed at its
   * first idle prompt (then `delivered`), never put on its command line, where `ps` shows them (issue 9).
   */
  private launched(
    id: string,
    base: ReturnType<TaskRouter['taskBase']>,
    target: Session,
    waitSeconds: number | undefined,
  ): Promise<TaskInfo> {
    const task = this.record({ ...base, toSession: target.id, toName: target.name }, id);
    this.changed(task);
    this.armDeadline(task);
    return waitSeconds ? this.wait(task.id, waitSeconds) : Promise.resolve(task);
  }

  /**
   * Records a task and queues its instructions, typed at its target's next idle prompt: the first prompt
   * of a session started for it, or pasted input into an existing one.
   */
  private record(task: NewTask, id: string): TaskInfo {
    const recorded = this.ports.store.create(task, id);
    this.ports.enqueueInput(recorded.toSession, taskPrompt(recorded), recorded.id);
    return recorded;
  }

  report(
    caller: Caller,
    args: {
      status: 'done' | 'failed' | 'blocked';
      summary: string;
      details?: string | undefined;
      taskId?: string | undefined;
    },
  ): Promise<TaskInfo> {
    const session = caller.session;
    if (!session)
      throw new HubError('not_allowed', 'Only a session that was given a task can report its result.');
    const task = args.taskId ? this.ports.store.get(args.taskId) : onlyOpenTask(this.openTasksOf(session.id));
    if (task.toSession !== session.id) {
      throw new HubError(
        'not_allowed',
        `Task ${task.id} is not assigned to you; report only your own tasks.`,
      );
    }
    if (isFinal(task.status))
      throw new HubError('not_allowed', `Task ${task.id} is already closed (${task.status}).`);
    const result: TaskResult = {
      status: args.status,
      summary: args.summary,
      ...(args.details ? { details: args.details } : {}),
    };
    return this.finish(task, args.status, result);
  }

  cancel(caller: Caller, reference: string): Promise<TaskInfo> {
    const task = this.ports.store.get(reference);
    if (caller.session && caller.session.id !== task.fromSession) {
      throw new HubError(
        'not_allowed',
        `Task ${task.id} was delegated by ${task.fromName}; only it or the owner may cancel it.`,
      );
    }
    if (isFinal(task.status)) return this.stopFinishedTree(task, `cancelled by ${caller.name}`);
    return this.cancelTree(task, `cancelled by ${caller.name}`);
  }

  get(caller: Caller, reference: string, waitSeconds?: number): Promise<TaskInfo> {
    const task = this.ports.store.get(reference);
    checkVisible(caller.session?.id, task);
    return waitSeconds ? this.wait(task.id, waitSeconds) : Promise.resolve(task);
  }

  list(caller: Caller): TaskInfo[] {
    return caller.session ? this.ports.store.involving(caller.session.id) : this.ports.store.all();
  }

  sendMessage(caller: Caller, to: string, text: string): Session {
    const target = this.resolveFor(caller, to);
    checkMessageTarget(target);
    this.ports.enqueueInput(target.id, `[switchboard message from ${caller.name}] ${text}`);
    return target;
  }

  /**
   * Which sessions the caller's tools may name. A worker runs in a container, and its tools never reach a
   * session on the hub's machine except through a task: it reaches itself and the sessions it shares a
   * task with (whoever gave it its task, whoever it delegated to). Everyone else reaches every session.
   */
  reaches(caller: Caller): (session: Session) => boolean {
    const self = caller.session;
    if (!self || !this.ports.isWorker(self.id)) return () => true;
    const partners = taskPartners(self.id, this.ports.store.involving(self.id));
    return (session) => session.id === self.id || partners.has(session.id);
  }

  /** Resolves a session the caller names, within its reach; a worker learns nothing of the others. */
  private resolveFor(caller: Caller, reference: string): Session {
    const reaches = this.reaches(caller);
    try {
      return this.ports.resolveSession(reference, reaches);
    } catch (error) {
      const worker = caller.session !== null && this.ports.isWorker(caller.session.id);
      if (worker && error instanceof HubError && error.code === 'unknown_session')
        throw outOfReach(reference);
      throw error;
    }
  }

  /** Tasks delivered to a session started running when it took a new prompt. */
  promptSubmitted(sessionId: string): void {
    this.timers.clearGrace(sessionId);
    for (const task of this.ports.store.involving(sessionId)) {
      if (task.toSession === sessionId && task.status === 'delivered')
        this.changed(this.ports.store.update(task.id, 'running'));
    }
  }

  /** The session finished a turn. If it still has open tasks, they close as unreported after a grace period. */
  stopped(sessionId: string, lastMessage: string | undefined): void {
    if (lastMessage !== undefined) this.lastMessages.set(sessionId, lastMessage);
    this.timers.clearGrace(sessionId);
    if (this.openTasksOf(sessionId).length === 0) return;
    this.timers.armGrace(sessionId, this.settings.unreportedGraceMs, () => {
      for (const task of this.openTasksOf(sessionId).filter((open) => open.status !== 'queued'))
        void this.closeUnreported(task);
    });
  }

  /** The session's process ended; `reason` (a worker stopped from outside, a deadline…) fails its tasks. */
  async sessionEnded(sessionId: string, reason?: string): Promise<void> {
    this.timers.clearGrace(sessionId);
    await Promise.all(
      this.openTasksOf(sessionId).map((task) =>
        reason ? this.failEnded(task, reason) : this.closeUnreported(task),
      ),
    );
  }

  /** Text for a task was typed into its target. */
  delivered(taskId: string): void {
    const task = this.ports.store.get(taskId);
    if (task.status === 'queued') this.changed(this.ports.store.update(taskId, 'delivered'));
  }

  dispose(): void {
    this.timers.dispose();
    this.waiters.dispose((id) => this.ports.store.get(id));
    this.taskChanged.dispose();
  }

  private wait(taskId: string, seconds: number): Promise<TaskInfo> {
    const task = this.ports.store.get(taskId);
    if (isFinal(task.status)) return Promise.resolve(task);
    return this.waiters.wait(taskId, seconds, () => this.ports.store.get(taskId));
  }

  private async finish(task: TaskInfo, status: TaskStatus, result: TaskResult): Promise<TaskInfo> {
    const diff = await this.ports.workSummary(task.toSession).catch(() => undefined);
    // Another outcome may have closed the task while the diff was computed: the first one stands.
    const current = this.ports.store.get(task.id);
    if (isFinal(current.status)) return current;
    const finished = this.ports.store.update(task.id, status, diff ? { ...result, diff } : result);
    this.timers.clearDeadline(task.id);
    this.changed(finished);
    if (this.waiters.settle(finished)) return finished;
    if (
      this.settings.notifyResults &&
      finished.fromSession &&
      (this.ports.findSession(finished.fromSession)?.isEnded === false ||
        this.ports.willResume(finished.fromSession))
    ) {
      // A delegator the hub will start again (tasks can close during a restart) finds it queued.
      this.ports.enqueueInput(finished.fromSession, resultNotice(finished, status, result.summary));
    }
    return finished;
  }

  /**
   * Cancelling a task that has ended stops the workers still up under it, idle after their work (issue
   * 16: it did nothing, and they held their budget slots); its open subtasks are cancelled as usual.
   */
  private async stopFinishedTree(task: TaskInfo, reason: string): Promise<TaskInfo> {
    for (const child of this.ports.store.children(task.id))
      await (isFinal(child.status) ? this.stopFinishedTree(child, reason) : this.cancelTree(child, reason));
    const target = this.ports.findSession(task.toSession);
    if (target && !target.isEnded && this.ports.isWorker(target.id))
      this.ports.stopWorker(target.id, `Task ${task.id} (${task.status}) was ${reason}.`);
    return task;
  }

  private async cancelTree(task: TaskInfo, reason: string): Promise<TaskInfo> {
    for (const child of this.ports.store.children(task.id))
      if (!isFinal(child.status)) await this.cancelTree(child, reason);
    this.ports.dropInputForTask(task.id);
    const target = this.ports.findSession(task.toSession);
    if (target && !target.isEnded && this.ports.isWorker(target.id)) {
      // A worker exists for its task: cancelling the task stops its container (and so its own workers).
      this.ports.stopWorker(target.id, `Task ${task.id} was ${reason}.`);
    } else if (task.status !== 'queued' && target && !target.isEnded) {
      this.ports.enqueueInput(task.toSession, cancelNotice(task, reason));
    }
    return this.finish(task, 'cancelled', { status: 'cancelled', summary: reason });
  }

  private failEnded(task: TaskInfo, reason: string): Promise<TaskInfo> {
    const last = this.lastMessages.get(task.toSession);
    return this.finish(task, 'failed', {
      status: 'failed',
      summary: reason,
      ...(last ? { details: `Its last message: ${last}` } : {}),
    });
  }

  private closeUnreported(task: TaskInfo): Promise<TaskInfo> {
    const last = this.lastMessages.get(task.toSession);
    if (last === undefined) {
      return this.finish(task, 'failed', {
        status: 'failed',
        summary: 'The session ended before it reported a result.',
      });
    }
    return this.finish(task, 'unreported', { status: 'unreported', summary: last });
  }

  private armDeadline(task: TaskInfo): void {
    if (isFinal(task.status)) return;
    this.timers.armDeadline(task.id, task.deadlineAt, () => {
      const current = this.ports.store.get(task.id);
      if (!isFinal(current.status)) void this.timeOut(current);
    });
  }

  private async timeOut(task: TaskInfo): Promise<void> {
    for (const child of this.ports.store.children(task.id))
      if (!isFinal(child.status)) await this.cancelTree(child, 'cancelled: parent timed out');
    await this.finish(task, 'timed_out', {
      status: 'timed_out',
      summary: `No result before the deadline (${task.deadlineAt}).`,
    });
  }

  private openTasksOf(sessionId: string): TaskInfo[] {
    return this.ports.store
      .involving(sessionId)
      .filter((task) => task.toSession === sessionId && !isFinal(task.status));
  }

  /** The task a session is working on: its most recent open task. */
  private currentTask(sessionId: string): TaskInfo | undefined {
    return this.openTasksOf(sessionId).at(-1);
  }

  private changed(task: TaskInfo): void {
    this.taskChanged.fire(task);
  }
}
