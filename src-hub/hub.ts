// createHub: the one composition root, started the same way by the CLI, Electron and the tests. It
// composes only: the core (hubCore.ts) below the network, then authentication, routes and the server.
import { join } from 'node:path';
import { HubClient, type HubMessage, type Transport } from '../src-protocol/index.js';
import { createCore } from './hubCore.js';
import type { Hub, HubPorts } from './hubPorts.js';
import { Authenticator, type Invite } from './net/auth.js';
import { openInProcess } from './net/connection.js';
import type { HubContext } from './net/context.js';
import { FailureLimiter } from './net/guards.js';
import { JoinApprovals } from './net/joinApproval.js';
import { LanController } from './net/lan.js';
import { createRepositoryRoutes } from './kube/repositoryRoutes.js';
import { createHttpRoutes } from './net/httpRoutes.js';
import { HUB_SOCKET_NAME, listenLocalSocket } from './net/localSocket.js';
import { listenOnLastPort, startServer, type HttpRoutes, type RunningServer } from './net/server.js';
import { WEB_LOGIN_TIMES, WebLogin, type WebSessionEntry } from './net/webLogin.js';
import { createWebUiRoutes, defaultWebUiDir, WEB_UI_PATH } from './net/webUi.js';
import { ensureStateDir, readLastPort, removeHubFile, writeHubFile, writeLastPort } from './stateDir.js';
import { DurableMap } from './store/durableMap.js';
import { HUB_VERSION } from './version.js';

export function createHub(ports: HubPorts): Hub {
  ensureStateDir(ports.stateDir);
  let server: RunningServer | undefined;
  /** The Unix domain socket for local clients (net/localSocket.ts), where there is one. */
  let localServer: RunningServer | undefined;
  let wroteHubFile = false;
  const core = createCore(ports, () => server?.url);
  const { now, limits, logger, database, registry, router, workers, connections } = core;

  // Invites and browser logins outlive a restart (stored as digests); the owner token is new each start.
  const auth = new Authenticator(now, undefined, new DurableMap<Invite>(database, 'invite', now()));
  const webLogin = new WebLogin(auth, now, new DurableMap<WebSessionEntry>(database, 'web', now()));
  const context: HubContext = {
    registry,
    sessionActions: core.sessionActions,
    router,
    inbox: core.inbox,
    notices: core.notices,
    mergeTask: (task, mode, force) => core.mergeTask(task, mode, force),
    worktrees: core.worktrees,
    auth,
    webLogin,
    limiter: new FailureLimiter(limits.authFailuresPerMinute, now),
    logger,
    limits,
    version: HUB_VERSION,
    connections,
    // Issue 10: the event table (attributed input, joins, revokes), joins waiting for approval, and where
    // the hub listens (what invite links point at).
    events: core.eventLog,
    approvals: new JoinApprovals(
      (message) => {
        const frame = JSON.stringify(message);
        for (const connection of connections)
          if (connection.principal?.role === 'owner') connection.send(frame);
      },
      logger,
      now,
      limits.joinApprovalMs,
    ),
    listeners: {},
  };
  const claudeRoutes = createHttpRoutes({
    context,
    credentials: core.credentials,
    tools: { router, registry },
    onHook: (session, payload, abort) => core.hooks.route(session, payload, abort),
  });
  const webUiRoutes = createWebUiRoutes({
    context,
    login: webLogin,
    dir: ports.webUiDir ?? defaultWebUiDir(),
    now,
  });
  // The LAN listener serves the web UI and /ws only: /hooks and /mcp stay on this machine.
  const lan = new LanController(context, ports.stateDir, webUiRoutes);
  context.lan = lan;
  // A pod worker's repository and work, as git bundles (docs/kubernetes.md, "The repository").
  const podRoutes = createRepositoryRoutes({
    credentials: core.credentials,
    podWorktree: (id) => (core.pods.isWorker(id) ? core.worktrees.forSession(id) : undefined),
    limiter: context.limiter,
    logger,
    maxBundleBytes: core.kubeSettings.maxBundleBytes,
  });
  const routes: HttpRoutes = async (request, response, path) =>
    (await webUiRoutes(request, response, path)) ||
    (await podRoutes(request, response, path)) ||
    claudeRoutes(request, response, path);
  const openConnection = (remoteAddress: string): Transport => openInProcess(context, remoteAddress);
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
      // The last run comes back once the server is up (its sessions need the hook and MCP endpoints).
      // Clients that connect meanwhile, over the socket or in-process, get their session list after.
      let restored!: () => void;
      context.restoring = new Promise<void>((resolve) => (restored = resolve));
      try {
        server = await listenOnLastPort(
          options,
          (chosen) => startServer(context, chosen, routes),
          readLastPort(ports.stateDir),
        );
        writeLastPort(ports.stateDir, server.port);
        context.listeners.local = server.url;
        if (options.lan) await lan.start(options.lan);
        if (options.localSocket !== false)
          localServer = await listenLocalSocket(context, ports.stateDir, routes);
        if (options.writeHubFile !== false) {
          const socket = localServer ? { socket: join(ports.stateDir, HUB_SOCKET_NAME) } : {};
          writeHubFile(ports.stateDir, {
            url: server.url,
            pid: process.pid,
            token: auth.ownerToken,
            ...socket,
          });
          wroteHubFile = true;
        }
        await core.resumeLastRun();
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
    // In this order: sessions end (core), then connections, the server, hub.json, the database, the log.
    async close() {
      logger.event('hub.stopping', { sessions: registry.list().length });
      // Said first (issue 13 #11): clients keep their last picture instead of reading the stop as every
      // session ending, and reconnect.
      const stopping = JSON.stringify({
        type: 'connection.closing',
        reason: 'hub_stopping',
        message: 'The hub is stopping; reconnect when it is back.',
      } satisfies HubMessage);
      for (const connection of connections) if (connection.principal) connection.send(stopping);
      await core.stopSessions();
      // Disposed now, not when each socket's close is heard: that may come after the database is closed.
      for (const connection of [...connections]) {
        connection.endpoint.close(1001, 'hub stopping');
        connection.dispose();
      }
      await server?.close();
      server = undefined;
      await localServer?.close();
      localServer = undefined;
      await lan.stop();
      if (wroteHubFile) removeHubFile(ports.stateDir);
      core.eventLog.flush();
      database.close();
      logger.event('hub.stopped');
      logger.close();
    },
  };
}
