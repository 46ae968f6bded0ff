// Each task's own token use (issue 13 #6), kept on the task: whenever its worker session's transcript is
// read, the tasks on that session get the use of the messages inside their windows (taskWindow.ts), and
// owners hear of a changed figure as a `task.event`. A task's figure stays once it has settled.
import { isFinalTaskStatus, type TaskInfo, type TaskUsage } from '../../src-protocol/index.js';
import { taskWindow, windowUsage } from './taskWindow.js';
import type { MessageUsage } from './transcript.js';

export interface TaskUsagePorts {
  /** The tasks that went to a session. */
  tasksTo(sessionId: string): TaskInfo[];
  /** A task's recorded statuses, oldest first (the event log). */
  statuses(taskId: string): Array<{ at: string; status: string }>;
  setUsage(taskId: string, usage: TaskUsage): TaskInfo;
  /** Tells owners (a `task.event`; not a status change, so no notice and no routing reacts). */
  announce(task: TaskInfo): void;
  now(): number;
}

/**
 * How long after its end a task's figure is still worked out again: the turn's last messages can reach the
 * transcript a moment after the task closed (usageTracker.ts reads once more a second after Stop).
 */
const SETTLE_MS = 60_000;

export class TaskUsageTracker {
  constructor(private readonly ports: TaskUsagePorts) {}

  /** The session's transcript was read: its open and just-closed tasks get their figures again. */
  sessionRead(sessionId: string, messages: readonly MessageUsage[]): void {
    const now = this.ports.now();
    for (const task of this.ports.tasksTo(sessionId)) {
      const settled =
        isFinalTaskStatus(task.status) && task.usage != null && now - Date.parse(task.updatedAt) > SETTLE_MS;
      if (!settled) this.update(task, messages);
    }
  }

  private update(task: TaskInfo, messages: readonly MessageUsage[]): void {
    const window = taskWindow(this.ports.statuses(task.id));
    if (!window) return; // never delivered: it used nothing
    // The final status may not be in the log yet when the task has just closed: its update time is its end.
    if (window.to === null && isFinalTaskStatus(task.status)) window.to = Date.parse(task.updatedAt);
    const usage = windowUsage(messages, window);
    if (JSON.stringify(usage) === JSON.stringify(task.usage ?? null)) return;
    this.ports.announce(this.ports.setUsage(task.id, usage));
  }
}
