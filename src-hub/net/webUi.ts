// Serves the built renderer at /ui/ with a strict CSP, and the browser login endpoints under /auth/.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import type { Principal } from './auth.js';
import type { HubContext } from './context.js';
import { refusal, requestListener } from './listeners.js';
import { readJsonBody, sendError, sendJson as sendJsonReply } from './httpReply.js';
import type { WebLogin } from './webLogin.js';

export const WEB_UI_PATH = '/ui/';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * Scripts only from the hub itself; styles may be inline because xterm.js and React Flow set element styles;
 * WebSockets go to the hub's own (named explicitly: older browsers do not count ws: as 'self') and, over
 * TLS only, to other hubs' LAN listeners, whose address the page learns from an invite link ("Connect to a
 * hub…", issue 10). Never plain ws: elsewhere.
 */
export function contentSecurityPolicy(host: string, secure = false): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${secure ? 'wss' : 'ws'}://${host} wss:`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Where the renderer bundle lands when built from this checkout (`npm run build:ui`): out/renderer. */
export function defaultWebUiDir(from: string = import.meta.dirname): string | undefined {
  for (let directory = from; ; directory = dirname(directory)) {
    const candidate = join(directory, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    if (existsSync(join(directory, 'package.json')) || dirname(directory) === directory) return undefined;
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

function send(
  response: ServerResponse,
  status: number,
  headers: Record<string, string>,
  body?: Buffer | string,
) {
  if (response.headersSent) return;
  response.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  response.end(body);
}

const sendJson = (
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => sendJsonReply(response, status, body, { ...SECURITY_HEADERS, ...headers });

const fail = (response: ServerResponse, status: number, code: string, message: string) =>
  sendError(response, status, code, message, SECURITY_HEADERS);

/**
 * A percent-decoded URL path, or undefined when it does not decode (`%`, `%zz`, broken UTF-8) or decodes to
 * a NUL: such a request is a 404, never an exception (issue 9).
 */
export function decodedPath(encoded: string): string | undefined {
  try {
    const decoded = decodeURIComponent(encoded);
    return decoded.includes('\0') ? undefined : decoded;
  } catch {
    return undefined;
  }
}

/** Cookies are not scoped by port, so two hubs on one host would share one name: the port is in it. */
const cookieName = (request: IncomingMessage) =>
  `sb_web_${/:(\d+)$/.exec(request.headers.host ?? '')?.[1] ?? '0'}`;

function readCookie(request: IncomingMessage): string | undefined {
  const name = cookieName(request);
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

export interface WebUiDeps {
  context: HubContext;
  login: WebLogin;
  /** The built renderer (index.html and assets/); undefined serves a page that says how to build it. */
  dir: string | undefined;
  /** The hub's clock (ms): the login cookie lasts until its session expires by that clock. */
  now?: () => number;
}

export function createWebUiRoutes({ context, login, dir, now = () => Date.now() }: WebUiDeps) {
  const serveStatic = (request: IncomingMessage, response: ServerResponse, path: string) => {
    const host = request.headers.host ?? '';
    const csp = {
      'content-security-policy': contentSecurityPolicy(host, requestListener(request) === 'lan'),
    };
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      return send(
        response,
        503,
        { ...csp, 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
        'The web UI is not built. Run `npm run build` in the Switchboard checkout, then reload.\n',
      );
    }
    const relative = decodedPath(path.slice(WEB_UI_PATH.length));
    const file = relative === undefined ? undefined : resolve(dir, relative || 'index.html');
    if (!file?.startsWith(resolve(dir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return fail(response, 404, 'not_found', 'No such file in the web UI.');
    }
    const isAsset = relative!.startsWith('assets/');
    send(
      response,
      200,
      {
        ...csp,
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // Hashed asset names never change content; the page itself always revalidates.
        'cache-control': isAsset ? 'public, max-age=31536000, immutable' : 'no-store',
      },
      request.method === 'HEAD' ? undefined : readFileSync(file),
    );
  };

  const authRoute = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    const address = request.socket.remoteAddress ?? 'unknown';
    // Browsers always send Origin on POST; the guard already checked it is the hub's own. A request
    // without one is not our page (CSRF through a form or a script tag would carry a foreign Origin anyway).
    if (request.method !== 'POST') return send(response, 405, { allow: 'POST' });
    if (!request.headers.origin)
      return fail(response, 403, 'not_allowed', 'Login requests come from the web UI.');
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? ''))
      return fail(response, 415, 'invalid_message', 'Send JSON.');
    /** Counts a wrong credential; answers (and returns true) when the address is already blocked. */
    const refusedForFailures = () => {
      if (context.limiter.isBlocked(address)) {
        fail(response, 429, 'rate_limited', 'Too many failed attempts from this address; wait a minute.');
        return true;
      }
      context.limiter.record(address);
      context.logger.event('auth.failed', { address, path });
      return false;
    };
    const cookie = readCookie(request);
    const listener = requestListener(request);
    // On the LAN listener the cookie travels only over TLS.
    const attrs = `Path=/; HttpOnly; SameSite=Strict${listener === 'lan' ? '; Secure' : ''}`;
    const admits = (principal: Principal) => refusal(listener, principal, address) === undefined;
    if (path === '/auth/login') {
      const body = (await readJsonBody(request, 4096).catch(() => undefined)) as
        { secret?: unknown } | undefined;
      const secret = typeof body?.secret === 'string' ? body.secret : '';
      const session = secret ? login.login(secret, admits) : undefined;
      if (session === 'refused') {
        context.logger.event('auth.refused', { address, path });
        return fail(
          response,
          403,
          'not_allowed',
          listener === 'lan'
            ? "This address admits invites only; the hub's owner logs in on the hub's own machine (`switchboard open`)."
            : 'From another machine, open the https link the owner sent you (`switchboard invite` with the hub started with --lan).',
        );
      }
      if (!session) {
        if (secret && refusedForFailures()) return;
        return fail(
          response,
          401,
          'unauthorized',
          'This login link or invite is used up, expired, revoked or wrong. If someone invited you, ask them ' +
            "for a new link; on the hub's own machine, `switchboard open` makes a new login link.",
        );
      }
      context.auth.recordUse(session.principal);
      context.logger.event('web.login', {
        address,
        role: session.principal.role,
        credential: session.principal.credential,
      });
      const maxAge = Math.max(1, Math.floor((session.expiresAt - now()) / 1000));
      return sendJson(
        response,
        200,
        {
          role: session.principal.role,
          ...(session.principal.session ? { session: session.principal.session } : {}),
        },
        { 'set-cookie': `${cookieName(request)}=${session.cookie}; ${attrs}; Max-Age=${maxAge}` },
      );
    }
    if (path === '/auth/ticket') {
      const issued = cookie ? login.connectTicket(cookie) : undefined;
      if (!issued) {
        if (cookie && login.wasRevoked(cookie))
          return fail(
            response,
            401,
            'revoked',
            "The hub's owner revoked the invite this browser joined with.",
          );
        // A forged or stale cookie counts; no cookie (a first visit) does not.
        if (cookie && refusedForFailures()) return;
        return fail(
          response,
          401,
          'unauthorized',
          "Not logged in: open the invite link you were sent (or, on the hub's machine, `switchboard open`).",
        );
      }
      return sendJson(response, 200, { ticket: issued.ticket, role: issued.principal.role });
    }
    if (path === '/auth/logout') {
      if (cookie) login.logout(cookie);
      return sendJson(response, 200, {}, { 'set-cookie': `${cookieName(request)}=; ${attrs}; Max-Age=0` });
    }
    return fail(response, 404, 'not_found', 'Unknown login endpoint.');
  };

  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    if (path === '/' || path === '/ui') {
      send(response, 302, { location: WEB_UI_PATH, 'cache-control': 'no-store' });
      return true;
    }
    if (path.startsWith(WEB_UI_PATH)) {
      if (request.method !== 'GET' && request.method !== 'HEAD') send(response, 405, { allow: 'GET, HEAD' });
      else serveStatic(request, response, path);
      return true;
    }
    if (path.startsWith('/auth/')) {
      await authRoute(request, response, path);
      return true;
    }
    return false;
  };
}
