// What a hub is built from (its ports) and what it offers the CLI, Electron main and tests (the Hub).
import type Docker from 'dockerode';
import type { HubClient, Transport } from '../src-protocol/index.js';
import type { AgentConfig } from './agents/config.js';
import type { Limits } from './limits.js';
import type { Logger } from './logger.js';
import type { LanEndpoint } from './net/context.js';
import type { LanOptions } from './net/lan.js';
import type { ListenOptions } from './net/server.js';
import type { SpawnPty } from './sessions/ptyHost.js';
import type { SessionRegistry } from './sessions/registry.js';
import type { TaskRouter } from './tasks/router.js';
import type { WorkerSettingsInput } from './workers/config.js';
import type { WorkerRuntime } from './workers/runtime.js';
import type { KubeSettingsInput } from './kube/settings.js';
import type { WorktreeCleanup } from './workspaces/taskWorktrees.js';

export interface HubPorts {
  stateDir: string;
  logger?: Logger;
  spawn?: SpawnPty;
  now?: () => number;
  limits?: Partial<Limits>;
  /** How Claude sessions launch (binary, args, env, policies); environment variables fill the rest. */
  claude?: Partial<AgentConfig>;
  /** The environment sessions start from; defaults to the hub's own, without Switchboard secrets. */
  env?: NodeJS.ProcessEnv;
  /** The built renderer served at /ui/; defaults to this checkout's out/renderer when it exists. */
  webUiDir?: string;
  /**
   * What happens to an ended session's worktree: `when-clean` removes it when it holds nothing to merge
   * (never uncommitted work); `keep` leaves it. Also SWITCHBOARD_WORKTREE_CLEANUP.
   */
  worktreeCleanup?: WorktreeCleanup;
  /** Docker workers: image, limits, budgets, container lifetimes (docs/workers.md); SWITCHBOARD_WORKER_* too. */
  workers?: WorkerSettingsInput;
  /** The Docker daemon client; defaults to DOCKER_HOST or the local socket. */
  docker?: Docker;
  /** Kubernetes workers: kubeconfig, namespace, image, resources, placement (docs/kubernetes.md); SWITCHBOARD_KUBE_* too. */
  kubernetes?: KubeSettingsInput;
}

export interface Hub {
  readonly stateDir: string;
  readonly ownerToken: string;
  readonly registry: SessionRegistry;
  readonly router: TaskRouter;
  readonly workers: WorkerRuntime;
  readonly url: string | undefined;
  /** The LAN listener (`--lan`): its https URL and certificate fingerprint; undefined without one. */
  readonly lan: LanEndpoint | undefined;
  /**
   * Serves HTTP + WebSocket (+ /hooks, /mcp) on the loopback port and, unless `localSocket: false`, on
   * `<stateDir>/hub.sock`; writes hub.json (url, socket, pid, token; mode 0600); then
   * adopts (or removes) this hub's worker containers that outlived its last run, and starts again the
   * Claude sessions it owned when it last stopped (resumed; docs/agents.md).
   */
  listen(
    options?: ListenOptions & { writeHubFile?: boolean; lan?: LanOptions; localSocket?: boolean },
  ): Promise<string>;
  /** An in-process client (Electron main, tests), authenticated as the owner. */
  connect(): Promise<HubClient>;
  /** An unauthenticated in-process connection (the desktop renderer's IPC relay); `auth` comes first. */
  openConnection(remoteAddress: string): Transport;
  /** A single-use owner ticket for an `auth` frame, valid 30 s (the desktop renderer). */
  issueOwnerTicket(): string;
  /** A one-time web UI login path (`/ui/#login=…`, valid a minute), for `switchboard open`. */
  createLoginPath(): string;
  /** Ends every session's process group, closes every connection, removes hub.json. */
  close(): Promise<void>;
}

/** Never handed to sessions: they would let a session act as the owner. */
const SECRET_VARIABLES = ['SWITCHBOARD_TOKEN', 'SWITCHBOARD_URL'];

export function sessionEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !SECRET_VARIABLES.includes(key)) result[key] = value;
  }
  return { ...result, TERM: 'xterm-256color', COLORTERM: 'truecolor' };
}
