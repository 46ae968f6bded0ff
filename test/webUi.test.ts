// The hub serves the web UI with a strict CSP, logs browsers in with single-use tickets (never the owner
// token), and tells attached clients who else is there (presence). Issue #4.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubClient, HubMessage, PresenceEntry } from '../src-protocol/index.js';
import { startTestHub, waitUntil, type TestHub } from './helpers.js';

let hub: TestHub;
let uiDir: string;

beforeEach(async () => {
  uiDir = mkdtempSync(join(tmpdir(), 'switchboard-ui-'));
  mkdirSync(join(uiDir, 'assets'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>UI</title>');
  writeFileSync(join(uiDir, 'assets', 'app-abc.js'), 'console.log(1)');
  hub = await startTestHub({ webUiDir: uiDir });
});
afterEach(async () => {
  await hub.close();
  rmSync(uiDir, { recursive: true, force: true });
});

const origin = () => hub.url;
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: origin(), ...headers },
    body: JSON.stringify(body),
  });
const cookieOf = (response: Response) => response.headers.get('set-cookie')?.split(';')[0] ?? '';

async function loginTicket(owner: HubClient): Promise<string> {
  const created = await owner.expect('login.created', { type: 'login.create' });
  expect(created.path).toBe(`/ui/#login=${created.ticket}`);
  return created.ticket;
}

describe('serving the web UI', () => {
  it('serves the bundle under /ui/ with a strict CSP and sends browsers there from /', async () => {
    const page = await fetch(`${hub.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`connect-src 'self' ws://${new URL(hub.url).host}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const asset = await fetch(`${hub.url}/ui/assets/app-abc.js`);
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    expect(asset.headers.get('cache-control')).toContain('immutable');

    const browser = await fetch(`${hub.url}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/ui/');
    expect(await (await fetch(`${hub.url}/`)).json()).toMatchObject({ name: 'switchboard' });
  });

  it('never serves files outside the bundle', async () => {
    for (const path of ['/ui/..%2f..%2fetc%2fpasswd', '/ui/%2e%2e/hub.log', '/ui/nope.js']) {
      expect((await fetch(`${hub.url}${path}`)).status).toBe(404);
    }
  });
});

describe('browser login', () => {
  it('exchanges a one-time login ticket for an HttpOnly SameSite=Strict cookie, then single-use connection tickets', async () => {
    const owner = await hub.client();
    const ticket = await loginTicket(owner);
    const login = await post('/auth/login', { secret: ticket });
    expect(login.status).toBe(200);
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(hub.hub.ownerToken);
    expect(await login.json()).toEqual({ role: 'owner' });

    expect((await post('/auth/login', { secret: ticket })).status).toBe(401); // single use

    const issued = await post('/auth/ticket', {}, { cookie: cookieOf(login) });
    const { ticket: connectTicket } = (await issued.json()) as { ticket: string };
    const browser = await hub.client({ token: connectTicket });
    expect((await browser.listSessions()).length).toBe(0);
    await expect(hub.client({ token: connectTicket })).rejects.toThrow(/Wrong or expired token/);

    const logout = await post('/auth/logout', {}, { cookie: cookieOf(login) });
    expect(logout.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await post('/auth/ticket', {}, { cookie: cookieOf(login) })).status).toBe(401);
  });

  it('keeps invites and browser logins across a hub restart, but not a logged-out one', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-ui-restart-'));
    const postTo = (target: TestHub, path: string, body: unknown, cookie?: string) =>
      fetch(`${target.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: target.url, ...(cookie ? { cookie } : {}) },
        body: JSON.stringify(body),
      });
    try {
      const first = await startTestHub({ webUiDir: uiDir, stateDir });
      const owner = await first.client();
      const kept = cookieOf(await postTo(first, '/auth/login', { secret: await loginTicket(owner) }));
      const dropped = cookieOf(await postTo(first, '/auth/login', { secret: await loginTicket(owner) }));
      await postTo(first, '/auth/logout', {}, dropped);
      const invite = await owner.createInvite('observer', { ttlSeconds: 3600 });
      await first.close();

      const second = await startTestHub({ webUiDir: uiDir, stateDir });
      // A real hub comes back on its port (7317), whose number is in the cookie's name; this one got
      // another free port, so the browser's cookies are renamed the way they would match there.
      const onSecond = (cookie: string) =>
        cookie.replace(/^sb_web_\d+=/, `sb_web_${new URL(second.url).port}=`);
      const kept2 = onSecond(kept);
      const dropped2 = onSecond(dropped);
      try {
        const issued = await postTo(second, '/auth/ticket', {}, kept2);
        expect(issued.status).toBe(200);
        const { ticket } = (await issued.json()) as { ticket: string };
        expect((await (await second.client({ token: ticket })).listSessions()).length).toBe(0);
        expect((await postTo(second, '/auth/ticket', {}, dropped2)).status).toBe(401);
        const invited = await second.client({ token: invite.token });
        expect((await invited.listSessions()).length).toBe(0);
        // Only digests are stored, never the secrets themselves.
        const database = readFileSync(join(stateDir, 'switchboard.db'));
        expect(database.includes(invite.token)).toBe(false);
        expect(database.includes(kept.split('=')[1]!)).toBe(false);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  it('refuses the owner token, requests without an Origin, and foreign origins', async () => {
    expect((await post('/auth/login', { secret: hub.hub.ownerToken })).status).toBe(401);
    const owner = await hub.client();
    const ticket = await loginTicket(owner);
    const noOrigin = await fetch(`${hub.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: ticket }),
    });
    expect(noOrigin.status).toBe(403);
    expect((await post('/auth/login', { secret: ticket }, { origin: 'http://evil.example' })).status).toBe(
      403,
    );
    expect((await post('/auth/ticket', {})).status).toBe(401);
    // The ticket survived the refused attempts: they never reached the exchange.
    expect((await post('/auth/login', { secret: ticket })).status).toBe(200);
  });

  it('logs an invitee in with its invite, keeping its role and scope', async () => {
    const owner = await hub.client();
    const session = await owner.createSession({ name: 'shared', command: 'bash', args: ['--norc'] });
    await owner.createSession({ name: 'private', command: 'bash', args: ['--norc'] });
    const invite = await owner.createInvite('observer', { session: session.id });
    const login = await post('/auth/login', { secret: invite.token });
    expect(await login.json()).toEqual({ role: 'observer', session: session.id });
    const issued = (await (await post('/auth/ticket', {}, { cookie: cookieOf(login) })).json()) as {
      ticket: string;
    };
    const guest = await hub.client({ token: issued.ticket });
    expect((await guest.listSessions()).map((listed) => listed.name)).toEqual(['shared']);
    await expect(guest.attach('shared', 'drive')).rejects.toThrow(/observing only/);
  });

  it('counts wrong login secrets towards the per-address limit', async () => {
    for (let attempt = 0; attempt < 10; attempt++)
      await post('/auth/login', { secret: `sbl_wrong${attempt}` });
    expect((await post('/auth/login', { secret: 'sbl_again' })).status).toBe(429);
  });
});

describe('presence', () => {
  const presenceOf = (client: HubClient) => {
    const seen: PresenceEntry[][] = [];
    client.onMessage((message: HubMessage) => {
      if (message.type === 'session.presence') seen.push(message.clients);
    });
    return seen;
  };

  it('tells attached clients and owners who is attached with which role, as they come and go', async () => {
    const owner = await hub.client();
    const session = await owner.createSession({ name: 'pair', command: 'bash', args: ['--norc'] });
    const watcher = await hub.client();
    const ownerSeen = presenceOf(owner);
    const watcherSeen = presenceOf(watcher);
    await owner.attach(session.id, 'drive');
    await watcher.attach(session.id, 'observe');
    const roles = (entries: PresenceEntry[] | undefined) =>
      entries?.map((entry) => `${entry.client}:${entry.role}`);
    await waitUntil(() => roles(ownerSeen.at(-1))?.length === 2, 5000, 'owner sees two');
    expect(roles(ownerSeen.at(-1))).toEqual(['cli:owner', 'cli:observer']);
    await waitUntil(() => roles(watcherSeen.at(-1))?.length === 2, 5000, 'the late joiner sees both');
    await watcher.detach(session.id);
    await waitUntil(() => roles(ownerSeen.at(-1))?.length === 1, 5000, 'owner sees the watcher leave');
    expect(roles(ownerSeen.at(-1))).toEqual(['cli:owner']);
  });
});
