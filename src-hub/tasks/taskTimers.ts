// The router's clocks: one deadline per open task, and one grace period per session that stopped with
// open tasks (they close as unreported unless the session reports or takes another turn first).
export class TaskTimers {
  constructor(private readonly now: () => number = () => Date.now()) {}

  private readonly deadlines = new Map<string, NodeJS.Timeout>();
  private readonly graces = new Map<string, NodeJS.Timeout>();

  /** Calls `due` at `deadlineAt` (at once if it has passed); a task has at most one deadline armed. */
  armDeadline(taskId: string, deadlineAt: string, due: () => void): void {
    if (this.deadlines.has(taskId)) return;
    const delay = Math.min(Math.max(0, Date.parse(deadlineAt) - this.now()), 2 ** 31 - 1);
    this.deadlines.set(
      taskId,
      setTimeout(() => {
        this.deadlines.delete(taskId);
        due();
      }, delay),
    );
  }

  clearDeadline(taskId: string): void {
    clearTimeout(this.deadlines.get(taskId));
    this.deadlines.delete(taskId);
  }

  /** (Re)starts a session's grace period. */
  armGrace(sessionId: string, ms: number, due: () => void): void {
    this.clearGrace(sessionId);
    this.graces.set(
      sessionId,
      setTimeout(() => {
        this.graces.delete(sessionId);
        due();
      }, ms),
    );
  }

  clearGrace(sessionId: string): void {
    clearTimeout(this.graces.get(sessionId));
    this.graces.delete(sessionId);
  }

  dispose(): void {
    for (const timer of [...this.deadlines.values(), ...this.graces.values()]) clearTimeout(timer);
    this.deadlines.clear();
    this.graces.clear();
  }
}
