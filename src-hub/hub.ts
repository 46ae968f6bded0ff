// createHub: the one composition root, started the same way by the CLI, Electron and the tests.
import { join } from 'node:path';
import { HubClient, linkedTransports, type HubMessage, type SessionInfo } from '../src-protocol/index.js';
import type { LeaseChange } from './attach/inputLease.js';
import { LIMITS, type Limits } from './limits.js';
import { fileLogger, type Logger } from './logger.js';
import { Authenticator } from './net/auth.js';
import { Connection } from './net/connection.js';
import type { HubContext } from './net/context.js';
import { FailureLimiter } from './net/guards.js';
import { startServer, type ListenOptions, type RunningServer } from './net/server.js';
import { spawnNodePty, type SpawnPty } from './sessions/ptyHost.js';
import { SessionRegistry } from './sessions/registry.js';
import type { Session } from './sessions/session.js';
import { ensureStateDir, removeHubFile, writeHubFile } from './stateDir.js';
import { HUB_VERSION } from './version.js';

export interface HubPorts {
  stateDir: string;
  logger?: Logger;
  spawn?: SpawnPty;
  now?: () => number;
  limits?: Partial<Limits>;
  /** The command a session runs when none is given. */
  defaultCommand?: string;
  /** The environment sessions start from; defaults to the hub's own, without Switchboard secrets. */
  env?: NodeJS.ProcessEnv;
}

export interface Hub {
  readonly stateDir: string;
  readonly ownerToken: string;
  readonly registry: SessionRegistry;
  readonly url: string | undefined;
  /** Serves HTTP + WebSocket and writes hub.json (url, pid, token; mode 0600). */
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
  const connections = new Set<Connection>();
  let server: RunningServer | undefined;
  let wroteHubFile = false;

  const broadcastSession = (kind: 'added' | 'updated' | 'removed', session: SessionInfo) => {
    const frame = JSON.stringify({ type: 'session.event', kind, session } satisfies HubMessage);
    for (const connection of connections) {
      const scope = connection.principal?.session;
      if (connection.principal && (scope === undefined || scope === session.id)) connection.send(frame);
    }
  };
  const broadcastLease = (session: Session, change: LeaseChange) => {
    logger.event('lease.changed', { session: session.id, ...change });
    const frame = JSON.stringify({
      type: 'lease.changed',
      session: session.id,
      ...change,
    } satisfies HubMessage);
    for (const connection of connections) {
      if (connection.attached.has(session.id) || connection.principal?.role === 'owner')
        connection.send(frame);
    }
  };

  const registry = new SessionRegistry({
    stateDir: ports.stateDir,
    spawn: ports.spawn ?? spawnNodePty,
    limits,
    logger,
    now,
    defaultCommand: ports.defaultCommand ?? 'claude',
    baseEnv: sessionEnvironment(ports.env ?? process.env),
    onChange: broadcastSession,
    onLease: broadcastLease,
  });
  const auth = new Authenticator(now);
  const context: HubContext = {
    registry,
    auth,
    limiter: new FailureLimiter(limits.authFailuresPerMinute, now),
    logger,
    limits,
    version: HUB_VERSION,
    connections,
  };
  logger.event('hub.started', { stateDir: ports.stateDir, pid: process.pid, version: HUB_VERSION });

  return {
    stateDir: ports.stateDir,
    ownerToken: auth.ownerToken,
    registry,
    get url() {
      return server?.url;
    },
    async listen(options = {}) {
      if (server) return server.url;
      server = await startServer(context, options);
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
      await registry.closeAll();
      for (const connection of [...connections]) connection.endpoint.close(1001, 'hub stopping');
      await server?.close();
      server = undefined;
      if (wroteHubFile) removeHubFile(ports.stateDir);
      logger.event('hub.stopped');
      logger.close();
    },
  };
}
