// A hub restart relaunches the Claude sessions it owned (ARCHITECTURE §6): while a local Claude session
// runs, it is listed in `owned_sessions`; it leaves the list when its process ends on its own or it is
// removed, but not when the hub stops it. On the next start each listed session is started again under
// its old id, name and directory (its worktree too) with `claude --resume <id>`, so the conversation goes
// on. Its open tasks are told to carry on; with no conversation to resume (Claude Code never wrote one,
// because nothing was submitted yet) it starts fresh and gets its open tasks typed in again.
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HubError, type TaskInfo } from '../../src-protocol/index.js';
import { Emitter, type Event } from '../events.js';
import type { Logger } from '../logger.js';
import type { CreateOptions } from '../sessions/launcher.js';
import type { Session } from '../sessions/session.js';
import type { HubDatabase } from '../store/database.js';
import { resumeNotice, taskPrompt } from '../tasks/taskText.js';

export interface OwnedSession {
  id: string;
  name: string;
  cwd: string;
  cols: number;
  rows: number;
}

interface OwnedRow extends OwnedSession {
  started_at: string;
}

export interface ResumePorts {
  database: HubDatabase;
  logger: Logger;
  /** Claude Code's config directory (where `projects/<dir>/<session id>.jsonl` transcripts live). */
  claudeConfigDir: string;
  create: (options: CreateOptions) => Promise<Session>;
  worktreeOf: (session: string) => { repo: string; path: string; branch: string } | null;
  openTasksFor: (session: string) => TaskInfo[];
  enqueueInput: (session: string, text: string, task: string) => void;
  /** Drops the input still queued for a task (so a second restart does not queue it twice). */
  dropInputForTask: (task: string) => void;
}

/** A session that will not come back after a restart: its open tasks fail with `reason`. */
export interface LostSession {
  session: string;
  reason: string;
}

/** Where Claude Code keeps its state: `CLAUDE_CONFIG_DIR`, else `~/.claude`. */
export function claudeConfigDir(env: Record<string, string | undefined>): string {
  return env.CLAUDE_CONFIG_DIR ?? join(homedir(), '.claude');
}

/** Whether Claude Code wrote a transcript for this session id (in any project directory). */
export function hasTranscript(configDir: string, sessionId: string): boolean {
  const projects = join(configDir, 'projects');
  try {
    return readdirSync(projects).some((project) => existsSync(join(projects, project, `${sessionId}.jsonl`)));
  } catch {
    return false;
  }
}

export class SessionResumer {
  private readonly lost = new Emitter<LostSession>();
  readonly onDidLoseSession: Event<LostSession> = this.lost.event;

  constructor(private readonly ports: ResumePorts) {}

  dispose(): void {
    this.lost.dispose();
  }

  /** A local Claude session started: the hub owns it until it ends on its own or is removed. */
  owned(session: OwnedSession): void {
    this.ports.database
      .prepare(
        `INSERT OR REPLACE INTO owned_sessions (id, name, cwd, cols, rows, started_at)
         VALUES (@id, @name, @cwd, @cols, @rows, @startedAt)`,
      )
      .run({ ...session, startedAt: new Date().toISOString() });
  }

  released(id: string): void {
    this.ports.database.prepare('DELETE FROM owned_sessions WHERE id = ?').run(id);
  }

  /** Whether the session runs now or will be started again at the next start. */
  isOwned(id: string): boolean {
    return this.ports.database.prepare('SELECT 1 FROM owned_sessions WHERE id = ?').get(id) !== undefined;
  }

  list(): OwnedSession[] {
    const rows = this.ports.database
      .prepare('SELECT * FROM owned_sessions ORDER BY started_at')
      .all() as OwnedRow[];
    return rows.map(({ id, name, cwd, cols, rows: height }) => ({ id, name, cwd, cols, rows: height }));
  }

  /**
   * Starts every session the hub owned when it stopped, one at a time until `stopping()` says the hub is
   * closing. One that cannot start is logged and let go, and its open tasks fail saying why.
   */
  async resumeAll(stopping: () => boolean = () => false): Promise<Session[]> {
    const resumed: Session[] = [];
    for (const owned of this.list()) {
      if (stopping()) break;
      try {
        resumed.push(await this.resume(owned));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.released(owned.id);
        this.ports.logger.event('session.resume_failed', {
          session: owned.id,
          name: owned.name,
          cwd: owned.cwd,
          error: reason,
        });
        this.lost.fire({
          session: owned.id,
          reason: `Session ${owned.name} could not start again after a hub restart: ${reason}`,
        });
      }
    }
    return resumed;
  }

  private async resume(owned: OwnedSession): Promise<Session> {
    const transcript = hasTranscript(this.ports.claudeConfigDir, owned.id);
    const start = (name: string) =>
      this.ports.create({
        name,
        cwd: owned.cwd,
        cols: owned.cols,
        rows: owned.rows,
        resumes: { id: owned.id, transcript, worktree: this.ports.worktreeOf(owned.id) },
      });
    // Its name may have been taken meanwhile (a re-adopted worker): it comes back under another.
    const session = await start(owned.name).catch((error: unknown) => {
      if (error instanceof HubError && error.code === 'name_taken') return start(`${owned.name}-resumed`);
      throw error;
    });
    // A running task was submitted, so a resumed conversation holds it: a notice is enough. A delivered one
    // may have been typed but never submitted, and a fresh session has no conversation: type it again.
    const tasks = this.ports.openTasksFor(owned.id);
    for (const task of tasks) {
      this.ports.dropInputForTask(task.id);
      const carryOn = transcript && task.status === 'running';
      this.ports.enqueueInput(owned.id, carryOn ? resumeNotice(task) : taskPrompt(task), task.id);
    }
    this.ports.logger.event('session.resumed', {
      session: owned.id,
      name: session.name,
      conversation: transcript ? 'resumed' : 'fresh',
      openTasks: tasks.map((task) => task.id),
    });
    return session;
  }
}
