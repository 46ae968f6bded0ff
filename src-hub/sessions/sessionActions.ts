// The owner's actions on one session beyond kill and remove (issue 13): rename, restart an ended session
// under its own id, name, directory and command (a Claude session resumes its conversation), duplicate.
import { existsSync } from 'node:fs';
import { HubError } from '../../src-protocol/index.js';
import type { CreateOptions } from './launcher.js';
import type { SessionRegistry } from './registry.js';
import type { Session } from './session.js';

export interface SessionActionPorts {
  registry: Pick<SessionRegistry, 'resolve' | 'list' | 'rename' | 'recreate' | 'create'>;
  /** Whether Claude Code wrote a conversation for this session id (then a restart resumes it). */
  hasConversation: (session: string) => boolean;
}

/** Worker sessions run elsewhere, started for a task: a person starts a new worker instead. */
function refuseWorker(session: Session, action: string): void {
  if (session.spec.worker)
    throw new HubError(
      'not_allowed',
      `Session "${session.name}" is a worker; ${action} works on sessions of this machine. Start a new worker instead.`,
    );
}

/** What runs in it again: a Claude session gets the hub's launch profile anew, a command its own line. */
function launchOf(session: Session): Pick<CreateOptions, 'command' | 'args'> {
  return session.kind === 'claude' ? {} : { command: session.spec.command, args: session.spec.args };
}

export class SessionActions {
  constructor(private readonly ports: SessionActionPorts) {}

  rename(reference: string, name: string): Session {
    const session = this.ports.registry.resolve(reference);
    this.ports.registry.rename(session, name);
    return session;
  }

  /**
   * Starts an ended session again under its id and name, in its directory (its worktree when that is
   * still there, else a new one on the same branch), with its command; the hub's environment, as for
   * any new session. A Claude session with a conversation resumes it (`claude --resume`).
   */
  async restart(reference: string): Promise<Session> {
    const session = this.ports.registry.resolve(reference);
    refuseWorker(session, 'restart');
    if (!session.isEnded)
      throw new HubError(
        'session_running',
        `Session "${session.name}" is still running; kill it first, or duplicate it to run another.`,
      );
    const { worktree } = session.spec;
    const kept = worktree && existsSync(worktree.path) ? worktree : null;
    const options: CreateOptions & { resumes: NonNullable<CreateOptions['resumes']> } = {
      name: session.name,
      cwd: kept ? kept.path : (worktree?.repo ?? session.spec.cwd),
      cols: session.spec.cols,
      rows: session.spec.rows,
      ...launchOf(session),
      ...(worktree && !kept ? { worktree: worktree.branch } : {}),
      resumes: {
        id: session.id,
        transcript: session.kind === 'claude' && this.ports.hasConversation(session.id),
        worktree: kept,
        createdAt: session.createdAt.toISOString(),
      },
    };
    return this.ports.registry.recreate(session, options);
  }

  /** A new session like this one: same command and directory (a new worktree if it had one), a new name. */
  async duplicate(reference: string, name?: string): Promise<Session> {
    const session = this.ports.registry.resolve(reference);
    refuseWorker(session, 'duplicate');
    const { worktree } = session.spec;
    return this.ports.registry.create({
      name: name ?? this.copyName(session.name),
      cwd: worktree?.repo ?? session.spec.cwd,
      cols: session.spec.cols,
      rows: session.spec.rows,
      ...launchOf(session),
      ...(worktree ? { worktree: true } : {}),
    });
  }

  /** `api` → `api-2`, `api-2` → `api-3`: the first free one, within the 64 characters names may have. */
  private copyName(name: string): string {
    const base = name.replace(/-\d+$/, '').slice(0, 58);
    const taken = new Set(this.ports.registry.list().map((session) => session.name));
    for (let index = 2; ; index++) if (!taken.has(`${base}-${index}`)) return `${base}-${index}`;
  }
}
