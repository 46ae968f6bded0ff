// Workers whose task has ended stop on their own (issue 16: an idle finished worker kept its container and
// its budget slot, so a fourth tree could not start a child). After the task ends, a grace runs; it starts
// again while the worker makes output (someone typing, its echo) or a human is attached; then it stops.
import { isFinalTaskStatus, type TaskInfo } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';

export interface FinishedWorkersPorts {
  graceMs: number;
  findSession(id: string): Session | undefined;
  /** The task a worker session was started for, or undefined when the session is no worker. */
  workerTask(sessionId: string): string | undefined;
  stop(sessionId: string, reason: string): void;
}

export class FinishedWorkers {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly ports: FinishedWorkersPorts) {}

  /** Called on every task change: a worker's own task that has ended starts its grace. */
  taskChanged(task: TaskInfo): void {
    const sessionId = task.toSession;
    if (!isFinalTaskStatus(task.status) || this.ports.workerTask(sessionId) !== task.id) return;
    if (this.timers.has(sessionId)) return;
    const session = this.ports.findSession(sessionId);
    if (!session || session.isEnded) return;
    this.arm(session, `its task ${task.id.slice(0, 8)} is ${task.status}`);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private arm(session: Session, why: string): void {
    const offset = session.offset;
    const timer = setTimeout(() => {
      this.timers.delete(session.id);
      if (session.isEnded) return;
      if (session.offset !== offset || session.participants().length > 0) return this.arm(session, why);
      const seconds = Math.round(this.ports.graceMs / 1000);
      this.ports.stop(session.id, `Finished: ${why}; stopped after ${seconds} s idle.`);
    }, this.ports.graceMs);
    timer.unref();
    this.timers.set(session.id, timer);
  }
}
