// The hub's parts below the network: stores, sessions and their launchers, tasks, workers, hooks and
// the lifecycle policy. Each part is built after what it uses; where two parts need each other, one
// tells the other by an event (onDidX), so no closure reaches a part that does not exist yet.
import { join } from 'node:path';
import { resolveAgentConfig } from './agents/config.js';
import { SessionCredentials } from './agents/credentials.js';
import { HookRouter } from './agents/hookRouter.js';
import { TaskUsageTracker } from './usage/taskUsage.js';
import { UsageTracker } from './usage/usageTracker.js';
import { LocalLauncher } from './agents/localLauncher.js';
import { PromptInjector } from './agents/promptInjector.js';
import { claudeConfigDir, hasTranscript, SessionResumer } from './agents/sessionResume.js';
import { VersionDetector } from './agents/version.js';
import { recordChanges } from './auditTrail.js';
import { HubError, isFinalTaskStatus } from '../src-protocol/index.js';
import { DisposableStore } from './events.js';
import { sessionEnvironment, type HubPorts } from './hubPorts.js';
import { resolveLimits } from './limits.js';
import { auditLogger, fileLogger } from './logger.js';
import type { ClientConnection } from './net/context.js';
import { ClientFanOut } from './net/fanOut.js';
import { PresenceBroadcaster } from './net/presence.js';
import { Launchers } from './sessions/launcher.js';
import { SessionLifecycle } from './sessions/lifecycle.js';
import { spawnNodePty } from './sessions/ptyHost.js';
import { SessionRegistry } from './sessions/registry.js';
import { SavedSessions } from './sessions/savedSessions.js';
import { SessionActions } from './sessions/sessionActions.js';
import { openDatabase } from './store/database.js';
import { EventLog } from './store/eventLog.js';
import { NoticeStore } from './store/noticeStore.js';
import { NoticeLog } from './notices/noticeLog.js';
import { PendingInputStore } from './store/pendingInput.js';
import { TaskRouter } from './tasks/router.js';
import { TaskStore } from './tasks/taskStore.js';
import { KubeLauncher } from './kube/kubeLauncher.js';
import { KubeRuntime } from './kube/runtime.js';
import { resolveKubeSettings } from './kube/settings.js';
import { WorkerRuntimes } from './kube/workerRuntimes.js';
import { resolveWorkerSettings } from './workers/config.js';
import { connectDocker } from './workers/docker.js';
import { DockerLauncher } from './workers/dockerLauncher.js';
import { hubId } from './workers/labels.js';
import { createInboxParts } from './inbox/inboxParts.js';
import { FinishedWorkers } from './workers/finishedWorkers.js';
import { WorkerRuntime } from './workers/runtime.js';
import { TaskWorktrees } from './workspaces/taskWorktrees.js';
import { WorktreeManager } from './workspaces/worktrees.js';

export type HubCore = ReturnType<typeof createCore>;

/** `hubUrl` is the listening hub's URL, once it listens (Claude sessions and workers call back to it). */
export function createCore(ports: HubPorts, hubUrl: () => string | undefined) {
  const env = ports.env ?? process.env;
  const now = ports.now ?? (() => Date.now());
  const limits = resolveLimits(ports.limits, env);
  const logger = auditLogger(ports.logger ?? fileLogger(join(ports.stateDir, 'hub.log')), now);
  const database = openDatabase(ports.stateDir);
  const eventLog = new EventLog(database);
  const agent = resolveAgentConfig(ports.claude, env);
  const baseEnv = sessionEnvironment(env);
  const credentials = new SessionCredentials();
  const worktrees = new WorktreeManager(database, join(ports.stateDir, 'worktrees'));
  const cleanup =
    ports.worktreeCleanup ?? (env.SWITCHBOARD_WORKTREE_CLEANUP === 'keep' ? 'keep' : 'when-clean');

  const launchers = new Launchers();
  const registry = new SessionRegistry({
    stateDir: ports.stateDir,
    spawn: ports.spawn ?? spawnNodePty,
    limits,
    logger,
    now,
    baseEnv,
    launchers,
    createWorktree: (session, cwd, branch, label) => worktrees.create(session, cwd, branch, label),
  });
  const saved = new SavedSessions(database, {
    sessions: () => registry.list(),
    intervalMs: limits.screenSaveIntervalMs,
    scrollbackRows: limits.savedScrollbackRows,
  });
  const workerSettings = resolveWorkerSettings(ports.workers, env);
  const thisHub = hubId(ports.stateDir);
  const workers = new WorkerRuntime({
    docker: ports.docker ?? connectDocker(),
    hubId: thisHub,
    logger,
    now,
    credentials,
    settings: workerSettings,
    hubEnv: env,
    agent,
    findSession: (id) => registry.find(id),
    adoptSession: (spec, spawn, screen) => registry.adopt(spec, spawn, screen),
    savedScreen: (id) => saved.screenOf(id),
    hubUrl,
  });
  launchers.register(
    new LocalLauncher({ agent, baseEnv, versions: new VersionDetector(), credentials, hubUrl }),
  );
  launchers.register(new DockerLauncher(workers, hubUrl));
  const kubeSettings = resolveKubeSettings(ports.kubernetes, env);
  const pods = new KubeRuntime({
    settings: kubeSettings,
    worker: workerSettings,
    budgets: workers.budgets, // one set of budgets for containers and pods
    dockerWorker: (id) => workers.record(id),
    hubId: thisHub,
    logger,
    now,
    hubEnv: env,
    agent,
    credentials,
    findSession: (id) => registry.find(id),
    adoptSession: (spec, spawn, screen) => registry.adopt(spec, spawn, screen),
    savedScreen: (id) => saved.screenOf(id),
    worktreeOf: (id) => worktrees.forSession(id),
  });
  launchers.register(new KubeLauncher(pods, hubUrl));
  const allWorkers = new WorkerRuntimes(workers, pods);
  const pending = new PendingInputStore(database);
  const taskStore = new TaskStore(database);
  const injector = new PromptInjector({
    store: pending,
    findSession: (id) => registry.find(id),
    now,
    onEnterRetry: (session, attempt) => logger.event('prompt.enter_retry', { session, attempt }),
    onTyped: (session, detail) => logger.event('prompt.typed', { session, ...detail }),
  });
  const resumer = new SessionResumer({
    database,
    logger,
    claudeConfigDir: claudeConfigDir({ ...baseEnv, ...agent.env }),
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
  });
  const router = new TaskRouter(
    {
      store: taskStore,
      resolveSession: (reference, among) => registry.resolve(reference, among),
      findSession: (id) => registry.find(id),
      startClaudeSession: (cwd, worktree) => registry.create({ cwd, ...(worktree ? { worktree } : {}) }),
      startWorker: (caller, request) => {
        const runtime = request.runtime ?? workerSettings.runtime;
        if (request.allowedTools && runtime !== 'docker')
          throw new HubError(
            'invalid_message',
            'allowed_tools is for Docker workers; leave it out for Kubernetes.',
          );
        const start = { runtime, image: request.image };
        const asker = { ...start, session: caller.session?.id ?? null, name: caller.name };
        return registry
          .create({
            cwd: allWorkers.resolveRepo(caller.session, request.repo),
            [runtime]: {
              ...(request.image ? { image: request.image } : {}),
              ...(request.allowedTools ? { allowedTools: request.allowedTools } : {}),
            },
            workerOf: { parent: caller.session?.id ?? null, task: request.task },
          })
          .then(
            (session) => (inboxParts.faults.started(start), session),
            (error: unknown) => {
              inboxParts.faults.startFailed(asker, error); // a person must fix it: the inbox says so
              throw error;
            },
          );
      },
      isWorker: (session) => allWorkers.isWorker(session),
      stopWorker: (session, reason) => allWorkers.stop(session, reason),
      workSummary: async (session) => {
        const worktree = worktrees.forSession(session);
        return worktree ? worktrees.diffSummary(worktree) : undefined;
      },
      enqueueInput: (session, text, task) => injector.enqueue(session, text, task ?? null),
      dropInputForTask: (task) => void pending.dropForTask(task),
      moveInputForTask: (task, session) => injector.moveTask(task, session),
      willResume: (session) => resumer.isOwned(session),
    },
    {
      notifyResults: agent.notifyResults,
      unreportedGraceMs: agent.unreportedGraceSeconds * 1000,
      deadlineMs: agent.taskDeadlineSeconds * 1000,
    },
    now,
  );
  const taskWorktrees = new TaskWorktrees(worktrees, router, logger, cleanup, (id) =>
    pods.isWorker(id) && registry.find(id)?.isEnded === false
      ? 'its pod sends its work back as it ends (after its task, within the finished-worker grace)'
      : undefined,
  );
  const inboxParts = createInboxParts({
    now,
    logger,
    eventLog,
    holdMs: agent.permissionHoldSeconds * 1000,
    task: (id) => {
      try {
        return taskStore.get(id);
      } catch {
        return undefined; // a parent task that is gone: the chain stops there
      }
    },
    servedBy: (session) =>
      taskStore
        .involving(session)
        .filter((task) => task.toSession === session && !isFinalTaskStatus(task.status)),
    findSession: (id) => registry.find(id),
    merge: (task, mode, force) => taskWorktrees.merge(task, mode, force),
  });
  const { inbox } = inboxParts;
  const hooks = new HookRouter({
    logger,
    eventLog,
    tasks: router,
    holdPermission: (session, payload, abort) => inboxParts.permissions.hold(session, payload, abort),
  });
  const lifecycle = new SessionLifecycle({
    sessions: registry,
    resumer,
    saved,
    credentials,
    injector,
    tasks: router,
    workers: allWorkers,
    worktrees: taskWorktrees,
  });
  const connections = new Set<ClientConnection>();
  const fanOut = new ClientFanOut({
    clients: connections,
    findSession: (id) => registry.find(id),
    presence: new PresenceBroadcaster(connections),
  });

  // Listeners in the order they hear each event: the log, then clients, then the lifecycle policy.
  const subscriptions = new DisposableStore();
  subscriptions.add(recordChanges(registry, router, logger, eventLog));
  const clientFrames = subscriptions.add(fanOut.listen(registry, router));
  subscriptions.add(
    inboxParts.listen({
      onDidRouteHook: hooks.onDidRouteHook,
      onDidChangeSession: registry.onDidChangeSession,
      onDidChangeTask: router.onDidChangeTask,
    }),
  );
  subscriptions.add(inbox.onDidChangeItem((change) => fanOut.inboxChanged(change)));
  // Issue 13: notices kept by the hub for windows opened later.
  const notices = new NoticeLog({
    store: new NoticeStore(database),
    now,
    toOwners: (frame) => {
      for (const connection of connections)
        if (connection.principal?.role === 'owner') connection.send(frame);
    },
  });
  subscriptions.add(notices.listen(registry.onDidChangeSession, router.onDidChangeTask));
  subscriptions.add(registry.onDidChangeSession((change) => lifecycle.sessionChanged(change)));
  subscriptions.add(registry.onDidQueueFirstPrompt(({ session, text }) => injector.enqueue(session, text)));
  subscriptions.add(injector.onDidDeliverTask((task) => router.delivered(task)));
  subscriptions.add(
    resumer.onDidLoseSession(({ session, reason }) => void router.sessionEnded(session, reason)),
  );
  const finishedWorkers = new FinishedWorkers({
    graceMs: workerSettings.finishedGraceSeconds * 1000,
    findSession: (id) => registry.find(id),
    workerTask: (id) => allWorkers.record(id)?.task ?? undefined,
    stop: (id, reason) => allWorkers.stop(id, reason),
  });
  subscriptions.add(router.onDidChangeTask((task) => finishedWorkers.taskChanged(task)));
  let stopping = false;
  const taskUsage = new TaskUsageTracker({
    tasksTo: (id) => taskStore.involving(id).filter((task) => task.toSession === id),
    statuses: (id) => eventLog.taskStatuses(id),
    setUsage: (id, use) => taskStore.setUsage(id, use),
    // Not once the hub is stopping: clients were told so and list again when it is back.
    announce: (task) => {
      if (!stopping) fanOut.taskChanged(task);
    },
    now,
  });
  const usage = new UsageTracker({ find: (id) => registry.find(id) }, (id, messages) =>
    taskUsage.sessionRead(id, messages),
  );
  subscriptions.add(hooks.onDidRouteHook(({ session, payload }) => usage.hook(session.id, payload)));
  subscriptions.add(
    registry.onDidChangeSession(({ kind, info }) => {
      // A restart (the same id, `added` again) starts afresh, whatever a late hook of the last left.
      if (kind === 'added') hooks.forget(info.id);
      if (kind !== 'removed' && info.status !== 'ended') return;
      usage.forget(info.id);
      hooks.forget(info.id);
    }),
  );

  let resuming: Promise<unknown> | undefined;
  return {
    now,
    limits,
    logger,
    database,
    credentials,
    worktrees,
    taskWorktrees,
    hooks,
    inbox,
    notices,
    /** The event table, one for the hub: deferred rows are written before any later one. */
    eventLog,
    /** The owner's merge of a task's worktree; its review item in the inbox closes with it. */
    mergeTask: inboxParts.mergeTask,
    connections,
    registry,
    router,
    workers,
    pods,
    kubeSettings,
    /** Rename, restart, duplicate (issue 13); a restarted Claude session resumes its conversation. */
    sessionActions: new SessionActions({
      registry,
      hasConversation: (id) => hasTranscript(claudeConfigDir({ ...baseEnv, ...agent.env }), id),
    }),
    /** Brings back the last run (lifecycle.resumeLastRun); the hub calls it once it listens. */
    resumeLastRun(): Promise<void> {
      const run = lifecycle.resumeLastRun();
      resuming = run;
      return run;
    },
    /**
     * Ends the sessions (workers are let go), in this order: no new input is typed; every process ends
     * and the lifecycle hears of it (while stopping: tasks stay open, Claude sessions will resume); then
     * the listeners go, then the timers of workers, tasks and saved screens, then the events themselves.
     */
    async stopSessions(): Promise<void> {
      lifecycle.beginStop();
      stopping = true;
      notices.dispose(); // sessions ending because the hub stops are not news
      // Nor for clients: they were told the hub is stopping (connection.closing) and list again when it
      // is back, where a Claude session it resumes runs on. "lead ended (exit 129)" would be wrong.
      clientFrames.dispose();
      // A resume in progress (closing right after listening) finishes its current session first, so
      // closeAll below ends it too.
      await resuming?.catch(() => undefined);
      injector.dispose();
      saved.saveChanged(); // the last screens, workers' too: a worker taken back later starts from it
      await registry.closeAll();
      inbox.dispose(); // held hooks answer "no decision" (their sessions ended already)
      subscriptions.dispose();
      hooks.dispose();
      finishedWorkers.dispose();
      allWorkers.dispose();
      router.dispose();
      saved.dispose();
      resumer.dispose();
      registry.dispose();
    },
  };
}
