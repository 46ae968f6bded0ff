// Which changes become notices (issue 13), the same as a window raises: a task ended, a session waits for
// a person, a running session ended. Kept in the store and pushed to owners as `notice.event`. Changes
// while the hub stops are not news (the sessions come back on the next start), so the log stops first.
import {
  isFinalTaskStatus,
  taskNotice,
  type HubMessage,
  type HubNotice,
  type SessionInfo,
  type SessionStatus,
  type TaskInfo,
} from '../../src-protocol/index.js';
import type { Disposable, Event } from '../events.js';
import type { SessionChange } from '../sessions/registry.js';
import type { NewNotice, NoticeStore } from '../store/noticeStore.js';

export interface NoticeLogPorts {
  store: NoticeStore;
  now(): number;
  /** Sends a frame to every connected owner. */
  toOwners(frame: string): void;
}

export class NoticeLog {
  /** The last status of each session seen, to tell a change from a repeat. */
  private readonly statuses = new Map<string, SessionStatus>();
  private subscriptions: Disposable[] = [];

  constructor(private readonly ports: NoticeLogPorts) {}

  listen(onDidChangeSession: Event<SessionChange>, onDidChangeTask: Event<TaskInfo>): Disposable {
    this.subscriptions = [
      onDidChangeSession((change) => this.sessionChanged(change)),
      onDidChangeTask((task) => this.taskChanged(task)),
    ];
    return this;
  }

  recent(limit: number): { notices: HubNotice[]; readUpTo: number } {
    return { notices: this.ports.store.recent(limit), readUpTo: this.ports.store.readUpTo };
  }

  markRead(upTo: number): number {
    const before = this.ports.store.readUpTo;
    const mark = this.ports.store.markRead(upTo);
    if (mark !== before) this.push({ type: 'notice.event', kind: 'read', readUpTo: mark });
    return mark;
  }

  taskChanged(task: TaskInfo): void {
    if (!isFinalTaskStatus(task.status) || this.ports.store.hasTaskNotice(task.id)) return;
    this.add({
      kind: 'task',
      ...taskNotice(task),
      session: task.toSession,
      task: task.id,
      status: task.status,
    });
  }

  sessionChanged({ kind, info }: SessionChange): void {
    const previous = this.statuses.get(info.id);
    if (kind === 'removed') return void this.statuses.delete(info.id);
    this.statuses.set(info.id, info.status);
    if (previous === info.status) return;
    if (info.status === 'waiting')
      this.add({
        kind: 'permission',
        title: `${info.name} is waiting for you`,
        body: 'It asks for a permission or an answer.',
        session: info.id,
        task: null,
        status: null,
      });
    // A session listed from the last run is seen first as ended: that is not news.
    else if (info.status === 'ended' && previous !== undefined) this.add(endedNotice(info));
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.subscriptions = [];
  }

  private add(notice: Omit<NewNotice, 'at'>): void {
    const added = this.ports.store.add({ ...notice, at: new Date(this.ports.now()).toISOString() });
    if (!added) return;
    this.push({ type: 'notice.event', kind: 'added', notice: added, readUpTo: this.ports.store.readUpTo });
  }

  private push(message: HubMessage): void {
    this.ports.toOwners(JSON.stringify(message));
  }
}

function endedNotice(info: SessionInfo): Omit<NewNotice, 'at'> {
  const how = info.signal !== null ? `signal ${info.signal}` : `exit code ${info.exitCode ?? '?'}`;
  return {
    kind: 'ended',
    title: `${info.name} ended`,
    body: `Its process ended (${how}).`,
    session: info.id,
    task: null,
    status: null,
  };
}
