// The server's one guard: a route or upgrade handler that throws is answered and logged, and the hub keeps
// serving (issue 9: no request can take the process down).
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { HubError } from '../../src-protocol/index.js';
import { LIMITS } from '../limits.js';
import { memoryLogger } from '../logger.js';
import { Authenticator } from './auth.js';
import type { HubContext } from './context.js';
import { FailureLimiter } from './guards.js';
import { requestPath, startServer, type HttpRoutes, type RunningServer } from './server.js';

let server: RunningServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Only what the server itself reads from the context; the handlers behind it are not reached here. */
function serverContext() {
  const logger = memoryLogger();
  const context = {
    auth: new Authenticator(Date.now),
    limiter: new FailureLimiter(LIMITS.authFailuresPerMinute),
    logger,
    limits: { ...LIMITS },
    version: 'test',
    connections: new Set(),
  } as unknown as HubContext;
  return { context, logger };
}

function get(url: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.once('error', reject);
    req.end();
  });
}

describe('one guard around every route', () => {
  it('answers a route that throws, synchronously or not, and keeps serving', async () => {
    const { context, logger } = serverContext();
    const routes: HttpRoutes = (_request, _response, path) => {
      if (path === '/sync') throw new Error('sync fault');
      if (path === '/async') return Promise.reject(new Error('async fault'));
      if (path === '/expected') return Promise.reject(new HubError('invalid_message', 'Bad body.'));
      return Promise.resolve(false);
    };
    server = await startServer(context, {}, routes);
    expect(await get(server.url, '/sync')).toMatchObject({ status: 500 });
    expect((await get(server.url, '/async')).body).toContain('"code":"internal"');
    expect(await get(server.url, '/expected')).toMatchObject({ status: 400 });
    expect((await get(server.url, '/expected')).body).toContain('invalid_message');
    expect(logger.events.filter((event) => event.event === 'http.fault')).toHaveLength(2);
    expect(await get(server.url, '/healthz')).toMatchObject({ status: 200 });
  });

  it('answers an upgrade whose handling throws with a 500, and keeps serving', async () => {
    const { context, logger } = serverContext();
    server = await startServer(context);
    Object.defineProperty(context.limits, 'pendingConnectionsTotal', {
      get() {
        throw new Error('injected upgrade fault');
      },
    });
    const upgrade = await get(server.url, '/ws', {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-version': '13',
    });
    expect(upgrade.status).toBe(500);
    expect(logger.events.some((event) => event.event === 'upgrade.fault')).toBe(true);
    expect(await get(server.url, '/healthz')).toMatchObject({ status: 200 });
  });
});

describe('requestPath', () => {
  it('takes the path of an origin-form target and nothing else, never throwing', () => {
    expect(requestPath('/ui/x?y=1#z')).toBe('/ui/x');
    expect(requestPath('//[')).toBe('//[');
    expect(requestPath('*')).toBeUndefined();
    expect(requestPath('http://evil.example/ws')).toBeUndefined();
    expect(requestPath(undefined)).toBeUndefined();
  });
});
