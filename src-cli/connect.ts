// Finds the running hub (hub.json, or SWITCHBOARD_URL + SWITCHBOARD_TOKEN) and connects a HubClient to it.
import WebSocket from 'ws';
import {
  BINARY_OUTPUT_PROTOCOL,
  ErrorCodeSchema,
  HubClient,
  HubError,
  webSocketTransport,
  type ErrorCode,
  type HubClientOptions,
  type WebSocketLike,
} from '../src-protocol/index.js';
import { defaultStateDir, isHubAlive, readHubFile } from '../src-hub/stateDir.js';
import { WEBSOCKET_PATH } from '../src-protocol/index.js';
import type { createConnection } from 'node:net';
import { pinnedTlsSocket } from './pinnedTls.js';

export interface HubAddress {
  url: string;
  token: string;
  /** The hub's Unix domain socket (from hub.json): tried first, `url` if it does not answer. */
  socket?: string;
}

export function findHub(env: NodeJS.ProcessEnv = process.env): HubAddress {
  if (env.SWITCHBOARD_URL && env.SWITCHBOARD_TOKEN)
    return { url: env.SWITCHBOARD_URL, token: env.SWITCHBOARD_TOKEN };
  const stateDir = defaultStateDir(env);
  const file = readHubFile(stateDir);
  if (!file || !isHubAlive(file)) {
    throw new HubError(
      'hub_unreachable',
      `No hub is running (looked for ${stateDir}/hub.json). Start one with \`switchboard hub\`, ` +
        'or set SWITCHBOARD_URL and SWITCHBOARD_TOKEN.',
    );
  }
  return { url: file.url, token: file.token, ...(file.socket ? { socket: file.socket } : {}) };
}

type ConnectOptions = HubClientOptions & { origin?: string; clientName?: string; fingerprint?: string };

/**
 * Opens a WebSocket to the hub and authenticates; rejects with a message that says what to do. On this
 * machine it goes through the hub's Unix domain socket when there is one (no TCP on the keystroke path).
 */
export async function connectHub(address: HubAddress, options: ConnectOptions = {}): Promise<HubClient> {
  let socket: WebSocket | undefined;
  if (address.socket && !options.fingerprint) {
    // A socket left behind or not ours to open: the loopback port still serves the same hub.
    socket = await openSocket(address, `ws+unix:${address.socket}:${WEBSOCKET_PATH}`, options).catch(
      (error: unknown) => {
        if (error instanceof HubError && error.code === 'hub_unreachable') return undefined;
        throw error;
      },
    );
  }
  socket ??= await openSocket(
    address,
    new URL(WEBSOCKET_PATH, address.url.replace(/^http/, 'ws')).toString(),
    options,
  );
  const client = new HubClient(webSocketTransport(socket as unknown as WebSocketLike), options);
  await client.auth(address.token, options.clientName ?? 'cli');
  return client;
}

/**
 * An open WebSocket to the hub at `url`, not yet authenticated, with JSON frames only (the desktop app relays
 * a joined hub's frames as text). With `fingerprint` (a LAN hub, https), only through a TLS connection whose
 * certificate matched the pinned one; a refusal keeps the hub's own code.
 */
export function openHubSocket(
  url: string,
  options: { origin?: string; fingerprint?: string } = {},
): Promise<WebSocket> {
  const socketUrl = new URL(WEBSOCKET_PATH, url.replace(/^http/, 'ws')).toString();
  return openSocket({ url, token: '' }, socketUrl, { ...options, binaryOutput: false });
}

async function openSocket(
  address: HubAddress,
  socketUrl: string,
  options: ConnectOptions & { binaryOutput?: boolean },
): Promise<WebSocket> {
  // A LAN hub (https) is reached only through a connection whose certificate matched the pinned one.
  const pinned = options.fingerprint
    ? await pinnedTlsSocket(new URL(address.url), options.fingerprint)
    : undefined;
  // Output comes as binary frames: raw bytes, no JSON on the way to the terminal (issue 12).
  const socket = new WebSocket(socketUrl, options.binaryOutput === false ? [] : [BINARY_OUTPUT_PROTOCOL], {
    ...(options.origin ? { origin: options.origin } : {}),
    ...(pinned ? { createConnection: (() => pinned) as unknown as typeof createConnection } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        let message = `The hub refused the connection (HTTP ${response.statusCode}).`;
        let code: ErrorCode = 'not_allowed';
        try {
          const refusal = JSON.parse(body) as { message?: unknown; code?: unknown };
          if (typeof refusal.message === 'string') message = refusal.message;
          // Each refusal keeps its own code (rate_limited, too_many_connections, …) for --json callers.
          code = ErrorCodeSchema.safeParse(refusal.code).data ?? code;
        } catch {
          // Not our hub's JSON; keep the status line.
        }
        reject(new HubError(code, message));
      });
    });
    socket.once('error', (error) =>
      reject(
        new HubError(
          'hub_unreachable',
          `Cannot reach the hub at ${address.url} (${error.message}). Is it running?`,
        ),
      ),
    );
  });
  return socket;
}
