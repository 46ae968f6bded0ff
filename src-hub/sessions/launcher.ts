// Where a session's process runs: one Launcher per runtime (a local pty, a Docker worker, a Kubernetes
// pod), chosen per session by its create options in one place, `Launchers.for`.
import { HubError, type SessionCreate, type WorkerInfo } from '../../src-protocol/index.js';
import type { PtySpec, SpawnPty } from './ptyHost.js';

export type CreateOptions = Omit<SessionCreate, 'type' | 'id'> & {
  /** Hub-internal (never on the wire): the worker is started by this session, for this task. */
  workerOf?: { parent: string | null; task: string | null };
  /**
   * Hub-internal: a session the hub owned when it last stopped, started again under its old id (and in
   * its old worktree, if it had one); `transcript` says whether Claude Code has a conversation to resume.
   */
  resumes?: {
    id: string;
    transcript: boolean;
    worktree: { repo: string; path: string; branch: string } | null;
    /** When the session was first created: a restart keeps it, and with it the session's place in lists. */
    createdAt?: string;
  };
};

export interface Launch {
  kind: 'claude' | 'command';
  command: string;
  args: string[];
  env: Record<string, string>;
  /**
   * A process that runs elsewhere (a Docker worker): started once the working directory is known, with
   * its own pty. `command` is then resolved there, not on this machine's PATH.
   */
  start?: (spec: PtySpec & { id: string; name: string }) => Promise<{ spawn: SpawnPty; worker: WorkerInfo }>;
  /**
   * The session needs a git worktree on this machine even when it did not ask for one (a pod cannot mount
   * the lead's tree: its work comes back onto the worktree's branch); a `worktree` option still wins.
   */
  worktree?: boolean;
  /** Gives back what the launch held (a worker's budget place) when the session does not start. */
  abandon?: () => void;
}

/** The runtimes a session may run in; the wire's `docker` or `kubernetes` option picks a worker one. */
export type Runtime = 'local' | 'docker' | 'kubernetes';

/** Prepares what a new session runs; the registry then starts it (a pty here, or `Launch.start` elsewhere). */
export interface Launcher {
  readonly runtime: Runtime;
  /** Decides the command, arguments and environment for session `id`; throws a HubError when it cannot. */
  launch(options: CreateOptions, id: string): Promise<Launch>;
}

/** The runtime a session asks for: a pod for `kubernetes`, a container for `docker`, else this machine. */
export const runtimeOf = (options: CreateOptions): Runtime =>
  options.kubernetes ? 'kubernetes' : options.docker ? 'docker' : 'local';

/** The launchers a hub has, one per runtime; a runtime without one refuses its sessions. */
export class Launchers {
  private readonly byRuntime = new Map<Runtime, Launcher>();

  register(launcher: Launcher): void {
    this.byRuntime.set(launcher.runtime, launcher);
  }

  /** The one place a session's runtime is chosen. */
  for(options: CreateOptions): Launcher {
    if (options.docker && options.kubernetes)
      throw new HubError('invalid_message', 'A session runs in Docker or in Kubernetes, not both: pick one.');
    const runtime = runtimeOf(options);
    const launcher = this.byRuntime.get(runtime);
    if (!launcher) throw new HubError('not_allowed', `This hub runs no ${runtime} sessions.`);
    return launcher;
  }
}
