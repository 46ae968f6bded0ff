// What the task router is given (collaborators and settings, apart) and what its callers pass it.
import type { TaskResult } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import type { TaskStore } from './taskStore.js';

/** Who is asking: a session (identified by its token) or the hub's owner (CLI, app, `switchboard mcp`). */
export interface Caller {
  session: Session | null;
  name: string;
}

export interface DelegateArgs {
  instructions: string;
  title?: string | undefined;
  to?: string | undefined;
  cwd?: string | undefined;
  waitSeconds?: number | undefined;
  /** New sessions only: run in a git worktree (true: a new branch; a string: that branch). */
  worktree?: boolean | string | undefined;
}

export interface SpawnWorkerArgs {
  instructions: string;
  title?: string | undefined;
  /** The repository the worker mounts; default the caller's. */
  repo?: string | undefined;
  image?: string | undefined;
  /** Where the worker runs; default the hub's `workers.runtime` setting. */
  runtime?: 'docker' | 'kubernetes' | undefined;
  /** Docker only: tools the worker runs without asking; a worker's child may only narrow its tree's. */
  allowedTools?: string[] | undefined;
  waitSeconds?: number | undefined;
}

/** The router's collaborators: the task store, the sessions, the workers and the input queue. */
export interface RouterPorts {
  store: TaskStore;
  /** An id, unique id prefix or unique name, among the sessions `among` accepts (default all). */
  resolveSession(reference: string, among?: (session: Session) => boolean): Session;
  findSession(id: string): Session | undefined;
  /** Starts a Claude session in `cwd`; its task is queued for it once recorded. */
  startClaudeSession(cwd: string, worktree?: boolean | string): Promise<Session>;
  /** Starts a worker (Docker or Kubernetes) for `caller`, for `task` (budgets are checked there). */
  startWorker(
    caller: Caller,
    request: Pick<SpawnWorkerArgs, 'repo' | 'image' | 'runtime' | 'allowedTools'> & { task: string },
  ): Promise<Session>;
  isWorker(session: string): boolean;
  /** Stops a worker's container; `reason` becomes its open tasks' result. */
  stopWorker(session: string, reason: string): void;
  /** What a session's worktree changed, for the result of a task that ran there. */
  workSummary(session: string): Promise<TaskResult['diff']>;
  /** Types text into a session once it is ready; `task` links the text to a task (delivery marks it). */
  enqueueInput(session: string, text: string, task?: string): void;
  dropInputForTask(task: string): void;
  /** Moves a task's input not yet typed to another session's queue; false when none waits (issue 17). */
  moveInputForTask(task: string, session: string): boolean;
  /** Whether a session that is not running now will be started again (resumed after a restart). */
  willResume(session: string): boolean;
}

/** The router's policy settings (docs/agents.md). */
export interface RouterSettings {
  /** Type a closed task's result into the prompt of the session that delegated it. */
  notifyResults: boolean;
  /** ms an idle session with open tasks has to report before they close as unreported. */
  unreportedGraceMs: number;
  /** ms from a task's creation to its deadline. */
  deadlineMs: number;
}
