// createHub: the one composition root, started the same way by the CLI, Electron and the tests.
import { join } from 'node:path';
import {
  HubClient,
  HubError,
  linkedTransports,
  type HubMessage,
  type SessionInfo,
  type TaskInfo,
  type Transport,
} from '../src-protocol/index.js';
import { resolveAgentConfig } from './agents/config.js';
import { SessionCredentials } from './agents/credentials.js';
import { buildClaudeLaunch } from './agents/launchProfile.js';
import { PromptInjector } from './agents/promptInjector.js';
import { claudeConfigDir, SessionResumer } from './agents/sessionResume.js';
import { VersionDetector } from './agents/version.js';
import type { LeaseChange } from './attach/inputLease.js';
import { resolveLimits, type Limits } from './limits.js';
import { auditLogger, fileLogger } from './logger.js';
import { Authenticator, type Invite } from './net/auth.js';
import { Connection } from './net/connection.js';
import type { HubContext } from './net/context.js';
import { FailureLimiter } from './net/guards.js';
import { JoinApprovals } from './net/joinApproval.js';
import { LanController } from './net/lan.js';
import { createHttpRoutes } from './net/httpRoutes.js';
import { PresenceBroadcaster } from './net/presence.js';
import { startServer, type HttpRoutes, type RunningServer } from './net/server.js';
import { WEB_LOGIN_TIMES, WebLogin, type WebSessionEntry } from './net/webLogin.js';
import { createWebUiRoutes, defaultWebUiDir, WEB_UI_PATH } from './net/webUi.js';
import { statusForHook, type HookPayload } from './sessions/hookStatus.js';
import { spawnNodePty } from './sessions/ptyHost.js';
import { SessionRegistry, type CreateOptions, type Launch } from './sessions/registry.js';
import { SavedSessions } from './sessions/savedSessions.js';
import type { Session } from './sessions/session.js';
import { ensureStateDir, removeHubFile, writeHubFile } from './stateDir.js';
import { openDatabase } from './store/database.js';
import { DurableMap } from './store/durableMap.js';
import { EventLog } from './store/eventLog.js';
import { PendingInputStore } from './store/pendingInput.js';
import { TaskRouter } from './tasks/router.js';
import { TaskStore } from './tasks/taskStore.js';
import { sessionEnvironment, type Hub, type HubPorts } from './hubPorts.js';
import { HUB_VERSION } from './version.js';
import { TaskWorktrees, type WorktreeCleanup } from './workspaces/taskWorktrees.js';
import { WorktreeManager } from './workspaces/worktrees.js';
import { resolveWorkerSettings } from './workers/config.js';
import { connectDocker } from './workers/docker.js';
import { hubId } from './workers/labels.js';
import { WorkerRuntime } from './workers/runtime.js';

export function createHub(ports: HubPorts): Hub {
  ensureStateDir(ports.stateDir);
  const now = ports.now ?? Date.now;
  const limits: Limits = resolveLimits(ports.limits, ports.env ?? process.env);
  const logger = auditLogger(ports.logger ?? fileLogger(join(ports.stateDir, 'hub.log')), now);
  const database = openDatabase(ports.stateDir);
  const eventLog = new EventLog(database);
  const agentConfig = resolveAgentConfig(ports.claude, ports.env ?? process.env);
  const baseEnv = sessionEnvironment(ports.env ?? process.env);
  const versions = new VersionDetector();
  const credentials = new SessionCredentials();
  const worktrees = new WorktreeManager(database, join(ports.stateDir, 'worktrees'));
  const worktreeCleanup: WorktreeCleanup =
    ports.worktreeCleanup ??
    ((ports.env ?? process.env).SWITCHBOARD_WORKTREE_CLEANUP === 'keep' ? 'keep' : 'when-clean');
  const workers: WorkerRuntime = new WorkerRuntime({
    docker: ports.docker ?? connectDocker(),
    settings: resolveWorkerSettings(ports.workers, ports.env ?? process.env),
    hubId: hubId(ports.stateDir),
    logger,
    now,
    hubEnv: ports.env ?? process.env,
    agent: agentConfig,
    credentials,
    findSession: (id) => registry.find(id),
    adoptSession: (spec, spawn) => registry.adopt(spec, spawn),
  });
  const connections = new Set<Connection>();
  const presence = new PresenceBroadcaster(connections);
  let server: RunningServer | undefined;
  let wroteHubFile = false;
  /** While stopping, sessions end because the hub ends them: their tasks stay open for the next start. */
  let stopping = false;
  let resuming: Promise<unknown> | undefined;

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
    if (kind === 'removed') {
      void workers.sessionRemoved(info.id);
      resumer.released(info.id);
      saved.forget(info.id);
    }
    if (kind === 'added' && session?.kind === 'claude' && !session.spec.worker && !session.isEnded)
      resumer.owned({ id: info.id, name: info.name, cwd: info.cwd, cols: info.cols, rows: info.rows });
    if (!session) return presence.forget(info.id);
    presence.changed(session);
    // A record of an earlier run: its end was dealt with then (tasks, worktree, credentials).
    if (session.restored) return;
    // Saved when it starts and when it ends (between, every few seconds): a crash loses no session.
    if (kind === 'added' || session.isEnded) saved.saveIfChanged(session);
    if (session.isEnded) {
      credentials.revoke(session.id);
      injector.sessionEnded(session.id);
      // Tasks close first (their result carries the worktree's diff), then the worktree may go.
      // A Claude session the hub stops is started again (resumed) at the next start, and keeps its
      // worktree; one its owner killed just before is not.
      if (stopping) {
        if (session.killedByUser) resumer.released(session.id);
        else if (resumer.isOwned(session.id)) return;
        if (session.spec.worktree) void taskWorktrees.sessionEnded(session.id);
        return;
      }
      resumer.released(session.id);
      const closed = router.sessionEnded(session.id, workers.endReason(session.id));
      if (session.spec.worktree) void closed.then(() => taskWorktrees.sessionEnded(session.id));
    } else injector.statusChanged(session);
  };
  const leaseChanged = (session: Session, change: LeaseChange) => {
    logger.event('lease.changed', { session: session.id, ...change });
    const holder = [...connections].find((connection) => connection.clientId === change.holder);
    const frame = JSON.stringify({
      type: 'lease.changed',
      session: session.id,
      ...change,
      holderName: holder?.principal?.name ?? null,
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
    if (options.docker) {
      if (options.command)
        throw new HubError(
          'invalid_message',
          'A worker runs Claude Code; another program is SWITCHBOARD_WORKER_COMMAND.',
        );
      if (!server)
        throw new HubError('not_allowed', 'Workers need a listening hub (its MCP and hook endpoints).');
      return workers.launch(options, id, server.url);
    }
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
      resume: options.resumes?.transcript === true,
      token: credentials.issue(id),
      config: agentConfig,
      profile,
      nodePath: process.execPath,
    });
    return { kind: 'claude', ...claude, env: { ...claude.env, ...options.env } };
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
    enqueueInput: (session, text) => injector.enqueue(session, text),
    createWorktree: (session, cwd, branch, label) => worktrees.create(session, cwd, branch, label),
  });
  const saved = new SavedSessions(database, {
    sessions: () => registry.list(),
    intervalMs: limits.screenSaveIntervalMs,
    scrollbackRows: limits.savedScrollbackRows,
  });
  const pending = new PendingInputStore(database);
  const taskStore = new TaskStore(database);
  const router: TaskRouter = new TaskRouter({
    store: taskStore,
    resolveSession: (reference, among) => registry.resolve(reference, among),
    findSession: (id) => registry.find(id),
    startClaudeSession: (cwd, worktree) => registry.create({ cwd, ...(worktree ? { worktree } : {}) }),
    startWorker: (caller, request) =>
      registry.create({
        cwd: workers.resolveRepo(caller.session, request.repo),
        docker: request.image ? { image: request.image } : {},
        workerOf: { parent: caller.session?.id ?? null, task: request.task },
      }),
    isWorker: (session) => workers.isWorker(session),
    stopWorker: (session, reason) => workers.stop(session, reason),
    workSummary: async (session) => {
      const worktree = worktrees.forSession(session);
      return worktree ? worktrees.diffSummary(worktree) : undefined;
    },
    enqueueInput: (session, text, task) => injector.enqueue(session, text, task ?? null),
    dropInputForTask: (task) => void pending.dropForTask(task),
    onTaskChanged: taskChanged,
    willResume: (session) => resumer.isOwned(session),
    notifyResults: agentConfig.notifyResults,
    unreportedGraceMs: agentConfig.unreportedGraceSeconds * 1000,
    deadlineMs: agentConfig.taskDeadlineSeconds * 1000,
  });
  const taskWorktrees = new TaskWorktrees(worktrees, router, logger, worktreeCleanup);
  const injector: PromptInjector = new PromptInjector({
    store: pending,
    findSession: (id) => registry.find(id),
    onDelivered: (task) => router.delivered(task),
  });
  const resumer = new SessionResumer({
    database,
    logger,
    claudeConfigDir: claudeConfigDir({ ...baseEnv, ...agentConfig.env }),
    create: (options) => registry.create(options),
    worktreeOf: (id) => {
      const worktree = worktrees.forSession(id);
      return worktree && !worktree.removedAt
        ? { repo: worktree.repo, path: worktree.path, branch: worktree.branch }
        : null;
    },
    openTasksFor: (id) =>
      taskStore.open().filter((task) => task.toSession === id && task.status !== 'queued'),
    enqueueInput: (session, text, task) => injector.enqueue(session, text, task),
    dropInputForTask: (task) => void pending.dropForTask(task),
    sessionLost: (session, reason) => void router.sessionEnded(session, reason),
  });

  const onHook = (session: Session, payload: HookPayload) => {
    logger.event('session.hook', { session: session.id, hook: payload.hook_event_name });
    eventLog.record('session.hook', { session: session.id, hook: payload.hook_event_name });
    const status = statusForHook(payload);
    if (payload.hook_event_name === 'UserPromptSubmit') router.promptSubmitted(session.id);
    if (payload.hook_event_name === 'Stop') router.stopped(session.id, payload.last_assistant_message);
    if (status) session.setStatus(status);
  };

  // Invites and browser logins outlive a restart (stored as digests); the owner token is new each start.
  const auth = new Authenticator(now, undefined, new DurableMap<Invite>(database, 'invite', now()));
  const webLogin = new WebLogin(auth, now, new DurableMap<WebSessionEntry>(database, 'web', now()));
  const context: HubContext = {
    registry,
    router,
    mergeTask: (task, mode, force) => taskWorktrees.merge(task, mode, force),
    worktrees,
    auth,
    webLogin,
    limiter: new FailureLimiter(limits.authFailuresPerMinute, now),
    logger,
    limits,
    version: HUB_VERSION,
    connections,
    events: eventLog,
    approvals: new JoinApprovals(
      (message) => toOwners(JSON.stringify(message), (connection) => connection.principal?.role === 'owner'),
      logger,
      now,
      limits.joinApprovalMs,
    ),
    listeners: {},
  };
  const claudeRoutes = createHttpRoutes({ context, credentials, tools: { router, registry }, onHook });
  const webUiRoutes = createWebUiRoutes({
    context,
    login: webLogin,
    dir: ports.webUiDir ?? defaultWebUiDir(),
  });
  // The LAN listener serves the web UI and /ws only: /hooks and /mcp stay on this machine.
  const lan = new LanController(context, ports.stateDir, webUiRoutes);
  context.lan = lan;
  const routes: HttpRoutes = async (request, response, path) =>
    (await webUiRoutes(request, response, path)) || claudeRoutes(request, response, path);
  const openConnection = (remoteAddress: string): Transport => {
    const [hubSide, clientSide] = linkedTransports();
    const connection = new Connection(
      {
        remoteAddress,
        send: (frame) => hubSide.send(frame),
        bufferedBytes: () => 0,
        close: () => hubSide.close(),
      },
      context,
    );
    connections.add(connection);
    hubSide.onMessage((frame) => void connection.receive(frame));
    hubSide.onClose(() => connection.dispose());
    return clientSide;
  };
  logger.event('hub.started', { stateDir: ports.stateDir, pid: process.pid, version: HUB_VERSION });

  return {
    stateDir: ports.stateDir,
    ownerToken: auth.ownerToken,
    registry,
    router,
    workers,
    get url() {
      return server?.url;
    },
    get lan() {
      return lan.endpoint;
    },
    async listen(options = {}) {
      if (server) return server.url;
      // Workers that outlived the last run are taken back, then its Claude sessions resumed (they need
      // the hook and MCP endpoints, so after the server is up). Clients that connect meanwhile, over the
      // socket or in-process, get their session list once that is done.
      let restored!: () => void;
      context.restoring = new Promise<void>((resolve) => (restored = resolve));
      try {
        server = await startServer(context, options, routes);
        context.listeners.local = server.url;
        if (options.lan) await lan.start(options.lan);
        if (options.writeHubFile !== false) {
          writeHubFile(ports.stateDir, { url: server.url, pid: process.pid, token: auth.ownerToken });
          wroteHubFile = true;
        }
        resuming = (async () => {
          await workers.adoptOnStart((session, reason) => void router.sessionEnded(session, reason));
          await resumer.resumeAll(() => stopping);
          // The rest of the last run's sessions (commands, ended ones, lost workers) are listed as ended.
          for (const record of saved.list()) if (!stopping) await registry.restore(record);
        })();
        await resuming;
        return server.url;
      } finally {
        restored();
      }
    },
    async connect() {
      const client = new HubClient(openConnection('in-process'));
      await client.auth(auth.ownerToken, 'in-process');
      return client;
    },
    openConnection,
    issueOwnerTicket: () =>
      auth.issueTicket({ role: 'owner', credential: 'owner' }, WEB_LOGIN_TIMES.connectTicketMs),
    createLoginPath: () =>
      `${WEB_UI_PATH}#login=${webLogin.createLoginTicket({ role: 'owner', credential: 'owner:web' }).ticket}`,
    async close() {
      logger.event('hub.stopping', { sessions: registry.list().length });
      stopping = true;
      // A resume in progress (closing right after listening) finishes its current session first, so
      // closeAll below ends it too.
      await resuming?.catch(() => undefined);
      injector.dispose();
      await registry.closeAll();
      workers.dispose();
      router.dispose();
      saved.dispose();
      for (const connection of [...connections]) connection.endpoint.close(1001, 'hub stopping');
      await server?.close();
      server = undefined;
      await lan.stop();
      if (wroteHubFile) removeHubFile(ports.stateDir);
      database.close();
      logger.event('hub.stopped');
      logger.close();
    },
  };
}
