// HTTP + WebSocket server: guards every request (Host, Origin, rate limit) before any protocol work.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  BINARY_OUTPUT_PROTOCOL,
  encodeOutputFrame,
  HubError,
  WEBSOCKET_PATH,
} from '../../src-protocol/index.js';
import { buildAllowlists, checkRequest, type Allowlists } from './guards.js';
import { Connection } from './connection.js';
import type { HubContext } from './context.js';
import { sendJson } from './httpReply.js';
import { UNIX_PEER, type ListenerKind } from './listeners.js';
import { PendingCount } from './pendingCount.js';
import { OPCODE_BINARY, OPCODE_TEXT, serverFrame, writeFrame } from './wireFrame.js';
import { FIRST_BYTE_TIMEOUT_MS, tlsFront } from './tlsFront.js';

/** Extra HTTP routes (hooks, MCP); returns true when it handled the request. */
export type HttpRoutes = (
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
) => Promise<boolean>;

export interface ListenOptions {
  host?: string;
  port?: number;
  /** More `host:port` names and origins to accept (a LAN name, a dev server). */
  allowedHosts?: string[];
  allowedOrigins?: string[];
  /** Serve HTTPS and WSS only (the LAN listener): PEM certificate and key; TLS 1.2 at least. */
  tls?: { cert: string; key: string };
  /** Listen on this Unix domain socket instead of host and port (localSocket.ts); Host must be localhost. */
  socketPath?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export { WEBSOCKET_PATH };

function refuseUpgrade(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ type: 'error', code, message });
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/**
 * The path of an origin-form request target (`/a/b?q`), or undefined for anything else (`*`, absolute
 * form, junk). Parsed by hand: `new URL` throws on targets such as `//[`, and a request must never throw.
 */
export function requestPath(target: string | undefined): string | undefined {
  if (!target?.startsWith('/')) return undefined;
  const end = target.search(/[?#]/);
  return end === -1 ? target : target.slice(0, end);
}

/** A request target as it may appear in a log or an error: bounded, printable. */
const shown = (target: string | undefined) => (target ?? '').slice(0, 120).replace(/[^\x20-\x7e]/g, '?');

/**
 * `port: 0` (any free port) takes the port of the last run when it is free: workers that outlived that run
 * call back to it (issue 16: after a restart on another port their hooks and tools went nowhere).
 */
export async function listenOnLastPort(
  options: ListenOptions,
  start: (options: ListenOptions) => Promise<RunningServer>,
  last: number | undefined,
): Promise<RunningServer> {
  if ((options.port ?? 0) !== 0 || last === undefined) return start(options);
  try {
    return await start({ ...options, port: last });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    return start(options);
  }
}

export async function startServer(
  context: HubContext,
  options: ListenOptions = {},
  routes?: HttpRoutes,
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let allow: Allowlists = { hosts: new Set(), origins: new Set() };
  const pending = new PendingCount();
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: context.limits.hardMaxPayloadBytes,
    perMessageDeflate: false, // costly per client and fragments memory (ws docs); terminal data is small
    // A client that offers it gets output as binary frames (issue 12); any other offer is declined.
    handleProtocols: (offered) => (offered.has(BINARY_OUTPUT_PROTOCOL) ? BINARY_OUTPUT_PROTOCOL : false),
  });

  const handleRequest = async (request: IncomingMessage, response: ServerResponse) => {
    const guard = checkRequest(request.headers, allow);
    if (!guard.ok)
      return sendJson(response, guard.status, { type: 'error', code: guard.code, message: guard.message });
    const path = requestPath(request.url);
    if (path === undefined)
      return sendJson(response, 400, {
        type: 'error',
        code: 'bad_request',
        message: 'The request target must be a path such as /ui/.',
      });
    // A browser asking for the root gets the web UI (routes redirect it); clients and scripts get JSON.
    const browser = (request.headers.accept ?? '').includes('text/html');
    if (request.method === 'GET' && ((path === '/' && !browser) || path === '/healthz')) {
      return sendJson(response, 200, {
        name: 'switchboard',
        version: context.version,
        websocket: WEBSOCKET_PATH,
      });
    }
    if (routes && (await routes(request, response, path))) return;
    sendJson(response, 404, { type: 'error', code: 'not_found', message: 'Nothing here; clients use /ws.' });
  };

  // One guard for every request: a fault in any route is answered and logged, and the hub keeps serving.
  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    handleRequest(request, response).catch((error: unknown) => {
      const expected = error instanceof HubError;
      if (!expected)
        context.logger.error('http.fault', error, { method: request.method, target: shown(request.url) });
      if (response.headersSent) return void response.destroy();
      sendJson(response, expected ? 400 : 500, {
        type: 'error',
        code: expected ? error.code : 'internal',
        message: expected ? error.message : 'Internal hub error; the hub log has details.',
      });
    });
  };
  const listener: ListenerKind = options.tls ? 'lan' : 'local';
  const http = options.tls
    ? createHttpsServer(
        {
          cert: options.tls.cert,
          key: options.tls.key,
          minVersion: 'TLSv1.2',
          handshakeTimeout: FIRST_BYTE_TIMEOUT_MS,
        },
        onRequest,
      )
    : createServer(onRequest);
  // TLS connections come in through a front that refuses plain text clearly (tlsFront.ts).
  let port = 0;
  const socketServer: Server = options.tls
    ? tlsFront(http as ReturnType<typeof createHttpsServer>, context, () => `${host}:${port}`)
    : http;

  const handleUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const address = request.socket.remoteAddress ?? (options.socketPath ? UNIX_PEER : 'unknown');
    // The LAN listener's /ws takes pages of any origin (another hub's web UI joining with an invite link):
    // it has no ambient credential for a hostile page to ride on (cookies there buy tickets only through
    // same-origin HTTP), and every connection still shows a secret in its first frame (security.md).
    const guard = checkRequest(request.headers, allow, listener === 'lan');
    if (!guard.ok) {
      context.logger.event('upgrade.refused', { address, reason: guard.message });
      return refuseUpgrade(socket, guard.status, guard.code, guard.message);
    }
    if (requestPath(request.url) !== WEBSOCKET_PATH) {
      return refuseUpgrade(socket, 404, 'not_found', `WebSocket endpoint is ${WEBSOCKET_PATH}.`);
    }
    const { pendingConnectionsPerAddress: perAddress, pendingConnectionsTotal: total } = context.limits;
    if (pending.full(address, perAddress, total)) {
      context.logger.event('connection.limited', { address, pending: pending.total });
      return refuseUpgrade(
        socket,
        503,
        'too_many_connections',
        'Too many connections are waiting to authenticate; try again in a few seconds.',
      );
    }
    const settle = pending.add(address);
    const watch = watchPreAuth(context, socket, address, head.length);
    socket.once('close', settle);
    sockets.handleUpgrade(request, socket, head, (ws: WebSocket) =>
      accept(context, ws, socket, address, listener, () => {
        settle();
        watch.stop();
      }),
    );
  };

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    try {
      handleUpgrade(request, socket, head);
    } catch (error) {
      context.logger.error('upgrade.fault', error, { target: shown(request.url) });
      refuseUpgrade(socket, 500, 'internal', 'Internal hub error; the hub log has details.');
    }
  });

  await new Promise<void>((resolve, reject) => {
    socketServer.once('error', reject);
    const listening = () => {
      socketServer.off('error', reject);
      resolve();
    };
    if (options.socketPath) socketServer.listen(options.socketPath, listening);
    else socketServer.listen(options.port ?? 0, host, listening);
  });
  if (options.socketPath) {
    // Only programs of this user reach the socket (its directory is 0700, itself 0600): no browser, so no
    // Origin is admitted; Node's HTTP client names the host `localhost`.
    allow = { hosts: new Set(['localhost']), origins: new Set() };
    return { url: `unix:${options.socketPath}`, port: 0, close: closer(sockets, http, socketServer) };
  }
  port = (socketServer.address() as AddressInfo).port;
  const scheme = options.tls ? 'https' : 'http';
  allow = buildAllowlists(
    host,
    port,
    { hosts: options.allowedHosts ?? [], origins: options.allowedOrigins ?? [] },
    scheme,
  );
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  context.logger.event('hub.listening', { host, port, tls: options.tls !== undefined });

  return { url: `${scheme}://${urlHost}:${port}`, port, close: closer(sockets, http, socketServer) };
}

type HttpLike = { closeAllConnections(): void; close(callback: () => void): unknown };

function closer(sockets: WebSocketServer, http: HttpLike, socketServer: Server) {
  return () =>
    new Promise<void>((resolve) => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      http.closeAllConnections();
      http.close(() => resolve());
      if (socketServer !== (http as unknown)) socketServer.close();
    });
}

/**
 * Counts what an unauthenticated peer sends on the raw socket and closes it past `preAuthMaxBytes`, before
 * the WebSocket layer has buffered a large frame (its own cap is for authenticated clients).
 */
function watchPreAuth(context: HubContext, socket: Duplex, address: string, already: number) {
  let received = already;
  const onData = (chunk: Buffer) => {
    received += chunk.length;
    if (received <= context.limits.preAuthMaxBytes) return;
    socket.off('data', onData);
    context.limiter.record(address);
    context.logger.event('connection.refused', { address, reason: 'too much data before auth', received });
    socket.destroy();
  };
  socket.on('data', onData);
  return { stop: () => socket.off('data', onData) };
}

function accept(
  context: HubContext,
  ws: WebSocket,
  socket: Duplex,
  address: string,
  listener: ListenerKind,
  leavePending: () => void,
): void {
  const queueLimit = context.limits.clientQueueMaxBytes;
  const binaryOutput = ws.protocol === BINARY_OUTPUT_PROTOCOL;
  let dropped = false;
  /** A client that lets its queue pass the cap is not reading: it goes, whatever was queued. */
  const room = (bytes: number) => {
    if (dropped || ws.readyState !== ws.OPEN) return false;
    if (ws.bufferedAmount + bytes <= queueLimit) return true;
    dropped = true;
    context.logger.event('client.dropped', {
      client: connection.clientId,
      address,
      queued: ws.bufferedAmount,
      reason: 'not reading',
    });
    ws.terminate();
    return false;
  };
  const connection: Connection = new Connection(
    {
      remoteAddress: address,
      listener,
      send: (frame) => room(frame.length) && ws.send(frame),
      // Ten observers of a flood would encode each 64K-char frame ten times: each form is encoded once.
      // and each goes out as one WebSocket frame built once, the same Buffer written to every socket.
      sendStream: (frame) => {
        if (binaryOutput && frame.output) {
          frame.binary ??= serverFrame(
            OPCODE_BINARY,
            encodeOutputFrame(frame.output.session, frame.offset, frame.output.data),
          );
          if (room(frame.binary.length)) writeFrame(ws, socket, frame.binary);
          return;
        }
        frame.utf8 ??= serverFrame(OPCODE_TEXT, Buffer.from(frame.json, 'utf8'));
        if (room(frame.utf8.length)) writeFrame(ws, socket, frame.utf8);
      },
      bufferedBytes: () => ws.bufferedAmount,
      authenticated: leavePending,
      close: (code, reason) => {
        ws.close(code, reason);
        // A peer that never answers the closing handshake is cut off rather than left reading frames.
        setTimeout(() => ws.terminate(), 1_000).unref();
      },
    },
    context,
  );
  context.connections.add(connection);
  ws.on('message', (data, isBinary) => {
    if (isBinary) {
      connection.fail(
        undefined,
        new HubError('bad_frame', 'Binary frames are not accepted; send JSON text.'),
      );
      return;
    }
    // binaryType is 'nodebuffer'; receive() answers every failure itself, this catch is the last guard.
    connection.receive((data as Buffer).toString('utf8')).catch((error: unknown) => {
      context.logger.error('connection.fault', error, { client: connection.clientId });
    });
  });
  ws.on('close', () => {
    leavePending();
    connection.dispose();
  });
  ws.on('error', (error) => context.logger.error('socket.error', error, { client: connection.clientId }));
}
