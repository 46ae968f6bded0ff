// Tool calls waiting for a task's result (delegate / get_task with wait_s): each resolves with the task
// when it closes, or as it stands when its wait runs out.
import type { TaskInfo } from '../../src-protocol/index.js';

/** Longest a delegate or get_task call waits for a result, in seconds; longer waits poll with get_task. */
export const MAX_WAIT_SECONDS = 600;

export class ResultWaiters {
  private readonly waiters = new Map<string, Set<(task: TaskInfo) => void>>();

  /** Resolves when `settle` is called for the task, or after `seconds` (capped) with `current()`. */
  wait(taskId: string, seconds: number, current: () => TaskInfo): Promise<TaskInfo> {
    return new Promise((resolve) => {
      const resolvers = this.waiters.get(taskId) ?? new Set();
      const done = (task: TaskInfo) => {
        clearTimeout(timer);
        resolvers.delete(done);
        resolve(task);
      };
      const timer = setTimeout(() => done(current()), Math.min(seconds, MAX_WAIT_SECONDS) * 1000);
      resolvers.add(done);
      this.waiters.set(taskId, resolvers);
    });
  }

  /** Hands a closed task to everyone waiting for it; false when nobody was. */
  settle(task: TaskInfo): boolean {
    const waiting = this.waiters.get(task.id);
    this.waiters.delete(task.id);
    if (!waiting || waiting.size === 0) return false;
    for (const resolve of [...waiting]) resolve(task);
    return true;
  }

  /** Releases every wait with the task as it stands (the hub is stopping). */
  dispose(current: (taskId: string) => TaskInfo): void {
    for (const [id, resolvers] of this.waiters) for (const resolve of [...resolvers]) resolve(current(id));
    this.waiters.clear();
  }
}
