// createHub: the one composition root, started the same way by the CLI, Electron and the tests.
import { join } from 'node:path';
import {
  HubClient,
  HubError,
  linkedTransports,
  type HubMessage,
  type SessionInfo,
  type TaskInfo,
} from '../src-protocol/index.js';
import { resolveAgentConfig, type AgentConfig } from './agents/config.js';
import { SessionCredentials } from './agents/credentials.js';
import { buildClaudeLaunch } from './agents/launchProfile.js';
import { PromptInjector } from './agents/promptInjector.js';
import { VersionDetector } from './agents/version.js';
import type { LeaseChange } from './attach/inputLease.js';
import { LIMITS, type Limits } from './limits.js';
import { fileLogger, type Logger } from './logger.js';
import { Authenticator } from './net/auth.js';
import { Connection } from './net/connection.js';
import type { HubContext } from './net/context.js';
import { FailureLimiter } from './net/guards.js';
import { createHttpRoutes } from './net/httpRoutes.js';
import { startServer, type ListenOptions, type RunningServer } from './net/server.js';
import { statusForHook, type HookPayload } from './sessions/hookStatus.js';
import { spawnNodePty, type SpawnPty } from './sessions/ptyHost.js';
import { SessionRegistry, type CreateOptions, type Launch } from './sessions/registry.js';
import type { Session } from './sessions/session.js';
import { ensureStateDir, removeHubFile, writeHubFile } from './stateDir.js';
import { openDatabase } from './store/database.js';
import { EventLog } from './store/eventLog.js';
import { PendingInputStore } from './store/pendingInput.js';
import { TaskRouter } from './tasks/router.js';
import { TaskStore } from './tasks/taskStore.js';
import { HUB_VERSION } from './version.js';
import { WorktreeManager, type MergeMode } from './workspaces/worktrees.js';

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
  /**
   * What happens to an ended session's worktree: `when-clean` removes it when it holds nothing to merge
   * (never uncommitted work); `keep` leaves it. Also SWITCHBOARD_WORKTREE_CLEANUP.
   */
  worktreeCleanup?: 'when-clean' | 'keep';
}

export interface Hub {
  readonly stateDir: string;
  readonly ownerToken: string;
  readonly registry: SessionRegistry;
  readonly router: TaskRouter;
  readonly url: string | undefined;
  /** Serves HTTP + WebSocket (+ /hooks, /mcp) and writes hub.json (url, pid, token; mode 0600). */
  listen(options?: ListenOptions & { writeHubFile?: boolean }): Promise<string>;
  /** An in-process client (Electron main, tests), authenticated as the owner. */
  connect(): Promise<HubClient>;
  /** Ends every session's process group, closes every connection, removes hub.json. */
  close(): Promise<void>;
}

const SECRET_VARIABLES = ['SWITCHBOARD_TOKEN', 'SWITCHBOARD_URL'];

function sessionEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && !SECRET_VARIABLES.includes(key)) result[key] = value;
  }
  return { ...result, TERM: 'xterm-256color', COLORTERM: 'truecolor' };
}

export function createHub(ports: HubPorts): Hub {
  ensureStateDir(ports.stateDir);
  const now = ports.now ?? Date.now;
  const limits: Limits = { ...LIMITS, ...ports.limits };
  const logger = ports.logger ?? fileLogger(join(ports.stateDir, 'hub.log'));
  const database = openDatabase(ports.stateDir);
  const eventLog = new EventLog(database);
  const agentConfig = resolveAgentConfig(ports.claude, ports.env ?? process.env);
  const baseEnv = sessionEnvironment(ports.env ?? process.env);
  const versions = new VersionDetector();
  const credentials = new SessionCredentials();
  const worktrees = new WorktreeManager(database, join(ports.stateDir, 'worktrees'));
  const worktreeCleanup =
    ports.worktreeCleanup ?? ((ports.env ?? process.env).SWITCHBOARD_WORKTREE_CLEANUP === 'keep' ? 'keep' : 'when-clean');
  const connections = new Set<Connection>();
  let server: RunningServer | undefined;
  let wroteHubFile = false;
  /** While stopping, sessions end because the hub ends them: their tasks stay open for the next start. */
  let stopping = false;

  const toOwners = (frame: string, filter: (connection: Connection) => boolean = () => true) => {
    for (const connection of connections)
      if (connection.principal && filter(connection)) connection.send(frame);
  };
  const sessionChanged = (kind: 'added' | 'updated' | 'removed', info: SessionInfo) => {
    toOwners(
      JSON.stringify({ type: 'session.event', kind, session: info } satisfies HubMessage),
      (connection) => {
        const scope = connection.principal?.session;
        return scope === undefined || scope === info.id;
      },
    );
    const session = registry.find(info.id);
    if (!session) return;
    if (session.isEnded) {
      credentials.revoke(session.id);
      // Tasks close first (their result carries the worktree's diff), then the worktree may go.
      const closed = stopping ? Promise.resolve() : router.sessionEnded(session.id);
      if (session.spec.worktree && worktreeCleanup === 'when-clean') void closed.then(() => cleanupWorktree(session.id));
    } else injector.statusChanged(session);
  };
  const leaseChanged = (session: Session, change: LeaseChange) => {
    logger.event('lease.changed', { session: session.id, ...change });
    const frame = JSON.stringify({
      type: 'lease.changed',
      session: session.id,
      ...change,
    } satisfies HubMessage);
    toOwners(
      frame,
      (connection) => connection.attached.has(session.id) || connection.principal?.role === 'owner',
    );
  };
  const taskChanged = (task: TaskInfo) => {
    logger.event('task.changed', {
      task: task.id,
      status: task.status,
      from: task.fromSession,
      to: task.toSession,
    });
    eventLog.record('task.changed', { task: task.id, session: task.toSession, status: task.status });
    toOwners(
      JSON.stringify({ type: 'task.event', task } satisfies HubMessage),
      (connection) => connection.principal?.role === 'owner',
    );
  };

  const launch = async (options: CreateOptions, id: string): Promise<Launch> => {
    if (options.command)
      return { kind: 'command', command: options.command, args: options.args ?? [], env: options.env ?? {} };
    if (!server)
      throw new HubError('not_allowed', 'Claude sessions need a listening hub (its MCP and hook endpoints).');
    const { profile } = await versions.detect(agentConfig.binary, agentConfig.args, {
      ...baseEnv,
      ...agentConfig.env,
    });
    const claude = buildClaudeLaunch({
      hubUrl: server.url,
      claudeSessionId: id,
      token: credentials.issue(id),
      ...(options.prompt ? { prompt: options.prompt } : {}),
      config: agentConfig,
      profile,
      nodePath: process.execPath,
    });
    return { kind: 'claude', ...claude, env: { ...claude.env, ...options.env } };
  };

  const cleanedUp = new Set<string>();
  const cleanupWorktree = async (sessionId: string) => {
    const worktree = worktrees.forSession(sessionId);
    if (!worktree || cleanedUp.has(sessionId)) return;
    cleanedUp.add(sessionId);
    // The task's result (with its diff) is computed first; a worktree with work in it is kept.
    const outcome = await worktrees.cleanup(worktree).catch((error: unknown) => String(error));
    logger.event('worktree.cleanup', { session: sessionId, path: worktree.path, outcome });
  };
  const mergeTask = async (reference: string, mode: MergeMode, force: boolean) => {
    const task = router.list({ session: null, name: 'owner' }).find((candidate) => candidate.id === reference || candidate.id.startsWith(reference));
    if (!task) throw new HubError('unknown_task', `No task "${reference}"; \`switchboard tasks\` lists them.`);
    const worktree = worktrees.forSession(task.toSession);
    if (!worktree) throw new HubError('not_allowed', `Task ${task.id} did not run in a worktree; there is nothing to merge.`);
    if (['queued', 'delivered', 'running'].includes(task.status) && !force) {
      throw new HubError('not_allowed', `Task ${task.id} is still ${task.status}; wait for it, cancel it, or pass --force.`);
    }
    const outcome = await worktrees.merge(worktree, mode, { force, message: `switchboard: ${task.title} (task ${task.id.slice(0, 8)})` });
    logger.event('worktree.merge', { task: task.id, mode, outcome: outcome.outcome, conflicts: outcome.conflicts });
    return outcome;
  };

  const registry = new SessionRegistry({
    stateDir: ports.stateDir,
    spawn: ports.spawn ?? spawnNodePty,
    limits,
    logger,
    now,
    baseEnv,
    launch,
    onChange: sessionChanged,
    onLease: leaseChanged,
    createWorktree: (session, cwd, branch, label) => worktrees.create(session, cwd, branch, label),
  });
  const pending = new PendingInputStore(database);
  const router: TaskRouter = new TaskRouter({
    store: new TaskStore(database),
    resolveSession: (reference) => registry.resolve(reference),
    findSession: (id) => registry.find(id),
    startClaudeSession: (cwd, prompt, worktree) => registry.create({ cwd, prompt, ...(worktree ? { worktree } : {}) }),
    workSummary: async (session) => {
      const worktree = worktrees.forSession(session);
      return worktree ? worktrees.diffSummary(worktree) : undefined;
    },
    enqueueInput: (session, text, task) => injector.enqueue(session, text, task ?? null),
    dropInputForTask: (task) => void pending.dropForTask(task),
    onTaskChanged: taskChanged,
    notifyResults: agentConfig.notifyResults,
    unreportedGraceMs: agentConfig.unreportedGraceSeconds * 1000,
    deadlineMs: agentConfig.taskDeadlineSeconds * 1000,
  });
  const injector: PromptInjector = new PromptInjector({
    store: pending,
    findSession: (id) => registry.find(id),
    onDelivered: (task) => router.delivered(task),
  });

  const onHook = (session: Session, payload: HookPayload) => {
    logger.event('session.hook', { session: session.id, hook: payload.hook_event_name });
    eventLog.record('session.hook', { session: session.id, hook: payload.hook_event_name });
    const status = statusForHook(payload);
    if (payload.hook_event_name === 'UserPromptSubmit') router.promptSubmitted(session.id);
    if (payload.hook_event_name === 'Stop') router.stopped(session.id, payload.last_assistant_message);
    if (status) session.setStatus(status);
  };

  const auth = new Authenticator(now);
  const context: HubContext = {
    registry,
    router,
    mergeTask,
    worktrees,
    auth,
    limiter: new FailureLimiter(limits.authFailuresPerMinute, now),
    logger,
    limits,
    version: HUB_VERSION,
    connections,
  };
  const routes = createHttpRoutes({ context, credentials, tools: { router, registry }, onHook });
  logger.event('hub.started', { stateDir: ports.stateDir, pid: process.pid, version: HUB_VERSION });

  return {
    stateDir: ports.stateDir,
    ownerToken: auth.ownerToken,
    registry,
    router,
    get url() {
      return server?.url;
    },
    async listen(options = {}) {
      if (server) return server.url;
      server = await startServer(context, options, routes);
      if (options.writeHubFile !== false) {
        writeHubFile(ports.stateDir, { url: server.url, pid: process.pid, token: auth.ownerToken });
        wroteHubFile = true;
      }
      return server.url;
    },
    async connect() {
      const [hubSide, clientSide] = linkedTransports();
      const connection = new Connection(
        {
          remoteAddress: 'in-process',
          send: (frame) => hubSide.send(frame),
          bufferedBytes: () => 0,
          close: () => hubSide.close(),
        },
        context,
      );
      connections.add(connection);
      hubSide.onMessage((frame) => void connection.receive(frame));
      hubSide.onClose(() => connection.dispose());
      const client = new HubClient(clientSide);
      await client.auth(auth.ownerToken, 'in-process');
      return client;
    },
    async close() {
      logger.event('hub.stopping', { sessions: registry.list().length });
      stopping = true;
      injector.dispose();
      await registry.closeAll();
      router.dispose();
      for (const connection of [...connections]) connection.endpoint.close(1001, 'hub stopping');
      await server?.close();
      server = undefined;
      if (wroteHubFile) removeHubFile(ports.stateDir);
      database.close();
      logger.event('hub.stopped');
      logger.close();
    },
  };
}
