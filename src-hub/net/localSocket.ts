// The hub's Unix domain socket for clients on this machine (the CLI, Electron main; issue 12): the same
// HTTP + WebSocket service as the loopback port, without TCP. It sits in the state directory (0700) and is
// itself 0600, so only this user reaches it; clients still authenticate with the owner token. Browsers and
// the LAN keep using TCP.
import { chmodSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { HubContext } from './context.js';
import { startServer, type HttpRoutes, type RunningServer } from './server.js';

export const HUB_SOCKET_NAME = 'hub.sock';
/** bytes: a socket path must fit `sun_path` (104 bytes on macOS, 108 on Linux, with its NUL). */
const MAX_SOCKET_PATH_BYTES = 103;
/** ms: how long to wait for an answer on an existing socket before deciding nobody listens there. */
const PROBE_TIMEOUT_MS = 500;

/** Whether something accepts connections on `path` (another hub still running on this state directory). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    const done = (alive: boolean) => {
      clearTimeout(timer);
      probe.destroy();
      resolve(alive);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    probe.once('connect', () => done(true));
    probe.once('error', () => done(false));
  });
}

/**
 * Listens on `<stateDir>/hub.sock`, or returns undefined (and logs why) where it cannot: Windows, a path
 * too long for a socket, or another live hub on it. Clients then use the loopback port.
 */
export async function listenLocalSocket(
  context: HubContext,
  stateDir: string,
  routes: HttpRoutes,
): Promise<RunningServer | undefined> {
  const path = join(stateDir, HUB_SOCKET_NAME);
  const skip = (reason: string) => {
    context.logger.event('hub.socket.skipped', { path, reason });
    return undefined;
  };
  if (process.platform === 'win32') return skip('no Unix domain sockets here');
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH_BYTES) return skip('path too long for a socket');
  if (await answers(path)) return skip('another process listens on it');
  rmSync(path, { force: true }); // left by a hub that did not stop cleanly
  const server = await startServer(context, { socketPath: path }, routes);
  chmodSync(path, 0o600);
  return server;
}
