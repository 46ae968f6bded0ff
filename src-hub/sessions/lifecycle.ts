// The session lifecycle policy, stated once: what happens when a session starts, ends or is removed,
// which sessions the next start resumes, and the order of an end: tasks close first (their result
// carries the worktree's diff), then the worktree may go.
import type { SessionCredentials } from '../agents/credentials.js';
import type { PromptInjector } from '../agents/promptInjector.js';
import type { SessionResumer } from '../agents/sessionResume.js';
import type { TaskRouter } from '../tasks/router.js';
import type { WorkerRuntime } from '../workers/runtime.js';
import type { TaskWorktrees } from '../workspaces/taskWorktrees.js';
import type { SessionChange, SessionRegistry } from './registry.js';
import type { SavedSessions } from './savedSessions.js';
import type { Session } from './session.js';

export interface LifecyclePorts {
  sessions: Pick<SessionRegistry, 'find' | 'restore'>;
  resumer: Pick<SessionResumer, 'owned' | 'released' | 'isOwned' | 'resumeAll'>;
  saved: Pick<SavedSessions, 'saveIfChanged' | 'forget' | 'list'>;
  credentials: Pick<SessionCredentials, 'revoke'>;
  injector: Pick<PromptInjector, 'statusChanged' | 'sessionEnded'>;
  tasks: Pick<TaskRouter, 'sessionEnded'>;
  worktrees: Pick<TaskWorktrees, 'sessionEnded'>;
  workers: Pick<WorkerRuntime, 'sessionRemoved' | 'endReason' | 'adoptOnStart'>;
}

export class SessionLifecycle {
  private stoppingValue = false;

  constructor(private readonly ports: LifecyclePorts) {}

  /** While stopping, sessions end because the hub ends them: their tasks stay open for the next start. */
  get stopping(): boolean {
    return this.stoppingValue;
  }

  beginStop(): void {
    this.stoppingValue = true;
  }

  /**
   * Brings back the last run: its workers still running are adopted (those that ended meanwhile close
   * their tasks), then its Claude sessions resumed, then the rest (commands, ended sessions, lost
   * workers) listed as ended. Stops early once the hub is stopping.
   */
  async resumeLastRun(): Promise<void> {
    const { workers, resumer, saved, sessions, tasks } = this.ports;
    await workers.adoptOnStart((session, reason) => void tasks.sessionEnded(session, reason));
    await resumer.resumeAll(() => this.stoppingValue);
    for (const record of saved.list()) if (!this.stoppingValue) await sessions.restore(record);
  }

  /** Every change of every session (the registry's onDidChangeSession). */
  sessionChanged({ kind, info }: SessionChange): void {
    if (kind === 'removed') return this.removed(info.id);
    const session = this.ports.sessions.find(info.id);
    if (!session) return;
    // A local Claude session is resumed after a restart while it runs (docs/agents.md).
    if (kind === 'added' && session.kind === 'claude' && !session.spec.worker && !session.isEnded)
      this.ports.resumer.owned({
        id: info.id,
        name: info.name,
        cwd: info.cwd,
        cols: info.cols,
        rows: info.rows,
      });
    // A record of an earlier run: its end was dealt with then (tasks, worktree, credentials).
    if (session.restored) return;
    // Saved when it starts and when it ends (between, every few seconds): a crash loses no session.
    if (kind === 'added' || session.isEnded) this.ports.saved.saveIfChanged(session);
    if (session.isEnded) this.ended(session);
    else this.ports.injector.statusChanged(session);
  }

  /** Runs on every change of an ended session too (a client detaching): each step may repeat harmlessly. */
  private ended(session: Session): void {
    const { credentials, injector, resumer, tasks, worktrees, workers } = this.ports;
    credentials.revoke(session.id);
    injector.sessionEnded(session.id);
    // A Claude session the hub stops is started again (resumed) at the next start, and keeps its worktree
    // and its open tasks; one its owner killed just before is not.
    if (this.stoppingValue) {
      if (session.killedByUser) resumer.released(session.id);
      else if (resumer.isOwned(session.id)) return;
      if (session.spec.worktree) void worktrees.sessionEnded(session.id);
      return;
    }
    resumer.released(session.id);
    const closed = tasks.sessionEnded(session.id, workers.endReason(session.id));
    // Tasks close first (their result carries the worktree's diff), then the worktree may go.
    if (session.spec.worktree) void closed.then(() => worktrees.sessionEnded(session.id));
  }

  /** Removed from the list: its container may go, it is not resumed, its saved record is dropped. */
  private removed(id: string): void {
    void this.ports.workers.sessionRemoved(id);
    this.ports.resumer.released(id);
    this.ports.saved.forget(id);
  }
}
