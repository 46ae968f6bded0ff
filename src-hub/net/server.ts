// HTTP + WebSocket server: guards every request (Host, Origin, rate limit) before any protocol work.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { HubError, WEBSOCKET_PATH } from '../../src-protocol/index.js';
import { buildAllowlists, checkRequest, type Allowlists } from './guards.js';
import { Connection } from './connection.js';
import type { HubContext } from './context.js';

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

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

export async function startServer(
  context: HubContext,
  options: ListenOptions = {},
  routes?: HttpRoutes,
): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let allow: Allowlists = { hosts: new Set(), origins: new Set() };
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: context.limits.hardMaxPayloadBytes,
    perMessageDeflate: false, // costly per client and fragments memory (ws docs); terminal data is small
  });

  const http = createServer((request: IncomingMessage, response: ServerResponse) => {
    const guard = checkRequest(request.headers, allow);
    if (!guard.ok)
      return sendJson(response, guard.status, { type: 'error', code: guard.code, message: guard.message });
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    // A browser asking for the root gets the web UI (routes redirect it); clients and scripts get JSON.
    const browser = (request.headers.accept ?? '').includes('text/html');
    if (request.method === 'GET' && ((path === '/' && !browser) || path === '/healthz')) {
      return sendJson(response, 200, {
        name: 'switchboard',
        version: context.version,
        websocket: WEBSOCKET_PATH,
      });
    }
    void (routes ? routes(request, response, path) : Promise.resolve(false)).then((handled) => {
      if (!handled)
        sendJson(response, 404, {
          type: 'error',
          code: 'not_found',
          message: 'Nothing here; clients use /ws.',
        });
    });
  });

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const address = request.socket.remoteAddress ?? 'unknown';
    const guard = checkRequest(request.headers, allow);
    if (!guard.ok) {
      context.logger.event('upgrade.refused', { address, reason: guard.message });
      return refuseUpgrade(socket, guard.status, guard.code, guard.message);
    }
    if (new URL(request.url ?? '/', 'http://x').pathname !== WEBSOCKET_PATH) {
      return refuseUpgrade(socket, 404, 'not_found', `WebSocket endpoint is ${WEBSOCKET_PATH}.`);
    }
    if (context.limiter.isBlocked(address)) {
      return refuseUpgrade(
        socket,
        429,
        'rate_limited',
        'Too many failed attempts from this address; wait a minute.',
      );
    }
    sockets.handleUpgrade(request, socket, head, (ws: WebSocket) => accept(context, ws, address));
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, host, () => {
      http.off('error', reject);
      resolve();
    });
  });
  const port = (http.address() as AddressInfo).port;
  allow = buildAllowlists(host, port, {
    hosts: options.allowedHosts ?? [],
    origins: options.allowedOrigins ?? [],
  });
  const urlHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  context.logger.event('hub.listening', { host, port });

  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of sockets.clients) client.terminate();
        sockets.close();
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

function accept(context: HubContext, ws: WebSocket, address: string): void {
  const connection = new Connection(
    {
      remoteAddress: address,
      send: (frame) => ws.readyState === ws.OPEN && ws.send(frame),
      // Ten observers of a flood would encode each 64K-char frame ten times; encode once, send as text.
      sendStream: (frame) => {
        if (ws.readyState !== ws.OPEN) return;
        frame.utf8 ??= Buffer.from(frame.json, 'utf8');
        ws.send(frame.utf8, { binary: false });
      },
      bufferedBytes: () => ws.bufferedAmount,
      close: (code, reason) => ws.close(code, reason),
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
    void connection.receive((data as Buffer).toString('utf8')); // binaryType is 'nodebuffer'
  });
  ws.on('close', () => connection.dispose());
  ws.on('error', (error) => context.logger.error('socket.error', error, { client: connection.clientId }));
}
