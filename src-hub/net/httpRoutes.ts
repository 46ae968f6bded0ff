// HTTP endpoints for Claude Code sessions: POST /hooks (status) and /mcp (tools). Both need a bearer
// token: a session's own token, or (for /mcp, as `switchboard mcp` uses it) the owner's.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HubError } from '../../src-protocol/index.js';
import type { SessionCredentials } from '../agents/credentials.js';
import { handleMcpRequest } from '../mcp/mcpEndpoint.js';
import type { ToolContext } from '../mcp/tools.js';
import { HookPayloadSchema, type HookPayload } from '../sessions/hookStatus.js';
import type { Session } from '../sessions/session.js';
import type { Caller } from '../tasks/routerPorts.js';
import type { HubContext } from './context.js';
import { readJsonBody, sendError as fail, sendJson } from './httpReply.js';

export interface HttpRouteDeps {
  context: HubContext;
  credentials: SessionCredentials;
  tools: ToolContext;
  /** Resolves with the hook's response body (a held PermissionRequest resolves once answered). */
  onHook(
    session: Session,
    payload: HookPayload,
    abort: AbortSignal,
  ): Promise<Record<string, unknown>> | undefined;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Returns true when it handled the request. */
export function createHttpRoutes(deps: HttpRouteDeps) {
  const { context, credentials } = deps;

  const callerOf = (request: IncomingMessage): Caller | undefined => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]?.trim();
    if (!token) return undefined;
    const sessionId = credentials.resolve(token);
    const session = sessionId ? context.registry.find(sessionId) : undefined;
    if (session) return { session, name: session.name };
    return context.auth.authenticate(token)?.role === 'owner' ? { session: null, name: 'owner' } : undefined;
  };

  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    if (path !== '/hooks' && path !== '/mcp') return false;
    const address = request.socket.remoteAddress ?? 'unknown';
    const presented = request.headers.authorization !== undefined;
    const caller = presented ? callerOf(request) : undefined;
    if (!caller) {
      // No credential at all (an <img> on some web page) is refused without counting: only a wrong
      // credential counts against the address, and a right one is never locked out by others' failures.
      if (presented && context.limiter.isBlocked(address)) {
        fail(response, 429, 'rate_limited', 'Too many failed attempts from this address; wait a minute.');
        return true;
      }
      if (presented) {
        context.limiter.record(address);
        context.logger.event('auth.failed', { address, path });
      }
      fail(response, 401, 'unauthorized', 'Missing or wrong bearer token.');
      return true;
    }
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return true;
    }
    try {
      const body = await readJsonBody(request, MAX_BODY_BYTES);
      if (path === '/mcp') {
        await handleMcpRequest(request, response, body, caller, deps.tools);
        return true;
      }
      const payload = HookPayloadSchema.safeParse(body);
      if (!caller.session || !payload.success) {
        fail(
          response,
          400,
          'invalid_message',
          caller.session ? 'Not a hook payload.' : 'Hooks come from sessions.',
        );
        return true;
      }
      // A held hook ends early when Claude Code gives up on it (its process ended, its own timeout).
      const gone = new AbortController();
      response.once('close', () => gone.abort());
      const reply = (await deps.onHook(caller.session, payload.data, gone.signal)) ?? {};
      if (!response.destroyed) sendJson(response, 200, reply);
    } catch (error) {
      if (error instanceof HubError)
        fail(response, error.code === 'not_allowed' ? 403 : 400, error.code, error.message);
      else {
        context.logger.error('http.bug', error, { path });
        fail(response, 500, 'internal', 'Internal hub error; the hub log has details.');
      }
    }
    return true;
  };
}
