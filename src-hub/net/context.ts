// What every connection shares: the registry, authentication, limits, the log, the live connections.
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { TaskRouter } from '../tasks/router.js';
import type { MergeMode, MergeOutcome, WorktreeManager } from '../workspaces/worktrees.js';
import type { Authenticator } from './auth.js';
import type { Connection } from './connection.js';
import type { FailureLimiter } from './guards.js';
import type { WebLogin } from './webLogin.js';

export interface HubContext {
  registry: SessionRegistry;
  router: TaskRouter;
  /** Merges, rebases or discards the worktree a task ran in. */
  mergeTask(task: string, mode: MergeMode, force: boolean): Promise<MergeOutcome>;
  worktrees: WorktreeManager;
  auth: Authenticator;
  /** Browser logins for the web UI (tickets, cookie sessions). */
  webLogin: WebLogin;
  limiter: FailureLimiter;
  logger: Logger;
  limits: Limits;
  version: string;
  connections: Set<Connection>;
  /**
   * Settles once the hub has brought back the sessions of its last run (it listens before, because they
   * need its hook and MCP endpoints): a session list asked for meanwhile waits, so it is never missing them.
   */
  restoring?: Promise<unknown>;
}
