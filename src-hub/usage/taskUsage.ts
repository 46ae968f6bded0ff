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

const EMPTY: TaskUsage = {
  model: null,
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheCreationTokens: 0,
  costUsd: 0,
  approximate: false,
};

export class TaskUsageTracker {
  constructor(private readonly ports: TaskUsagePorts) {}

  /** The session's transcript was read: its open and just-closed tasks get their figures again. */
  sessionRead(sessionId: string, messages: readonly MessageUsage[]): void {
    const now = this.ports.now();
    const unsettled = this.ports
      .tasksTo(sessionId)
      .filter(
        (task) =>
          !(
            isFinalTaskStatus(task.status) &&
            task.usage != null &&
            now - Date.parse(task.updatedAt) > SETTLE_MS
          ),
      );
    const windows = unsettled.map((task) => {
      const window = taskWindow(this.ports.statuses(task.id));
      // The final status may not be in the log yet when the task has just closed: its update time is its end.
      if (window && window.to === null && isFinalTaskStatus(task.status))
        window.to = Date.parse(task.updatedAt);
      return { task, window };
    });
    // A session works on one task at a time: a task's window ends where the next task delivered to the
    // session begins (one typed in while the previous turn's grace ran would otherwise be counted twice).
    // (Among the tasks still worked out: a settled one closed over a minute ago.)
    const starts = windows.flatMap(({ window }) => (window ? [window.from] : [])).sort((a, b) => a - b);
    for (const { task, window } of windows) {
      if (!window) {
        // Never delivered: it used nothing, and a final one is settled with that figure.
        if (isFinalTaskStatus(task.status) && task.usage == null) this.store(task, EMPTY);
        continue;
      }
      const next = starts.find((start) => start > window.from);
      if (next !== undefined && (window.to === null || window.to >= next)) window.to = next - 1;
      this.store(task, windowUsage(messages, window));
    }
  }

  private store(task: TaskInfo, usage: TaskUsage): void {
    if (JSON.stringify(usage) === JSON.stringify(task.usage ?? null)) return;
    this.ports.announce(this.ports.setUsage(task.id, usage));
  }
}
