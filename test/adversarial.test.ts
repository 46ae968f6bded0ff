// Ring 2, standing adversarial suite (issue 9): a running hub on loopback attacked as a stranger, a web page
// or a guest would. Every case checks that the hub is still up, its session still runs and shows the same
// screen, nothing changed, and the refusal carries its code.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClientMessage, ClientMessageType, HubClient, SessionInfo } from '../src-protocol/index.js';
import { handlers } from '../src-hub/net/handlers.js';
import { connectHub } from '../src-cli/connect.js';
import { fixture, startTestHub, waitForScreen, waitUntil, type TestHub } from './helpers.js';
import { chat, openSocket } from './rawSocket.js';

const run = promisify(execFile);
const CLI = join(import.meta.dirname, '..', 'bin', 'switchboard');

let hub: TestHub;
const temporary: string[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await hub?.close();
  for (const directory of temporary.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** Sends bytes as they are (any request target, any header) and resolves with the raw response. */
function rawHttp(url: string, request: string): Promise<{ status: number; text: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), text }));
    socket.end(request);
  });
}

const hostOf = (url: string) => new URL(url).host;
const get = (url: string, target: string, headers = '') =>
  rawHttp(url, `GET ${target} HTTP/1.1\r\nHost: ${hostOf(url)}\r\n${headers}Connection: close\r\n\r\n`);

const screenText = async (client: HubClient, session: string) =>
  (await client.screen(session)).lines.join('\n');

const sessionState = (sessions: SessionInfo[]) =>
  sessions.map(({ id, name, status, pid, leaseHolder }) => ({ id, name, status, pid, leaseHolder }));

/** A hub with one running session whose screen shows a marker; `unharmed()` checks nothing changed. */
async function victim(ports: Parameters<typeof startTestHub>[0] = {}) {
  hub = await startTestHub(ports);
  const owner = await hub.client();
  const session = await owner.createSession({
    name: 'victim',
    command: process.execPath,
    args: [fixture('echo-prompt.mjs')],
  });
  await owner.input(session.id, 'marker-before\r');
  await waitForScreen(owner, session.id, 'got:marker-before', 5000);
  const before = {
    sessions: sessionState(await owner.listSessions()),
    screen: await screenText(owner, session.id),
  };
  return {
    owner,
    session,
    /** The hub answers, the owner still connects, the session runs, with the same list and screen. */
    unharmed: async () => {
      expect((await get(hub.url, '/healthz')).status).toBe(200);
      const fresh = await connectHub({ url: hub.url, token: hub.hub.ownerToken });
      try {
        expect(sessionState(await fresh.listSessions())).toEqual(before.sessions);
        expect(await screenText(fresh, session.id)).toBe(before.screen);
        await fresh.input(session.id, 'still-alive\r');
        await waitForScreen(fresh, session.id, 'got:still-alive', 5000);
      } finally {
        fresh.close();
      }
    },
  };
}

/** A built web UI in a temporary folder, with a secret file beside it (outside it). */
function fakeWebUi(): string {
  const parent = mkdtempSync(join(tmpdir(), 'switchboard-webui-'));
  temporary.push(parent);
  const dir = join(parent, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("the-app")');
  writeFileSync(join(parent, 'secret.txt'), 'top-secret');
  return dir;
}

describe('malformed requests never take the hub down', () => {
  it('answers undecodable /ui/ paths with 404 (issue 9 #1: `/ui/%` killed the hub)', async () => {
    const { unharmed } = await victim({ webUiDir: fakeWebUi() });
    for (const target of ['/ui/%', '/ui/%zz', '/ui/%E0%A4%A', '/ui/%00', '/ui/assets/%', '/ui/%c0%af']) {
      const response = await get(hub.url, target);
      expect(response.status, target).toBe(404);
      expect(response.text).toContain('not_found');
    }
    await unharmed();
  });

  it('answers malformed request targets with a coded 400 (issue 9 #2: `//[` killed the hub)', async () => {
    const { unharmed } = await victim();
    for (const target of ['//[', '//[::1', '*', 'http://evil.example/', 'ws:', '//']) {
      const response = await get(hub.url, target);
      expect(response.status, target).toBeGreaterThanOrEqual(400);
      expect(response.status, target).toBeLessThan(500);
    }
    expect((await get(hub.url, '//[')).text).toContain('not_found');
    expect((await get(hub.url, 'http://evil.example/')).text).toContain('bad_request');
    const upgrade = await rawHttp(
      hub.url,
      `GET //[ HTTP/1.1\r\nHost: ${hostOf(hub.url)}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(upgrade.status).toBe(404);
    // A request target longer than Node's header limit is refused by the parser itself.
    expect((await get(hub.url, `/ui/${'a'.repeat(70_000)}`)).status).toBe(431);
    await unharmed();
  });

  it('never serves a file outside the web UI, whatever the traversal spelling', async () => {
    const webUiDir = fakeWebUi();
    const { unharmed } = await victim({ webUiDir });
    expect((await get(hub.url, '/ui/assets/app.js')).text).toContain('the-app');
    const variants = [
      '/ui/../secret.txt',
      '/ui/%2e%2e/secret.txt',
      '/ui/%2e%2e%2fsecret.txt',
      '/ui/assets/..%2f..%2fsecret.txt',
      '/ui/%2e%2e%5csecret.txt',
      '/ui/....//secret.txt',
      '/ui/assets/../../secret.txt',
      '/ui/%252e%252e/secret.txt',
      `/ui/${encodeURIComponent(join(webUiDir, '..', 'secret.txt'))}`,
      '/ui//etc/passwd',
      '/ui/%2fetc%2fpasswd',
    ];
    for (const target of variants) {
      const response = await get(hub.url, target);
      expect(response.status, target).toBe(404);
      expect(response.text).not.toContain('top-secret');
      expect(response.text).not.toContain('root:');
    }
    await unharmed();
  });

  it('keeps serving when a message handler throws (one guard for every handler)', async () => {
    const { owner, unharmed } = await victim();
    vi.spyOn(handlers, 'session.screen').mockImplementation(() => {
      throw new Error('injected fault');
    });
    await expect(owner.screen('victim')).rejects.toMatchObject({ code: 'internal' });
    expect(hub.logger.events.some((event) => event.event === 'connection.bug')).toBe(true);
    vi.restoreAllMocks();
    await unharmed();
  });
});

describe('nobody locks the owner out (issue 9 #3)', () => {
  it('unauthenticated GETs to /hooks and /mcp (an <img> on any page) do not count against the address', async () => {
    const { unharmed } = await victim();
    for (let attempt = 0; attempt < 30; attempt++) {
      const response = await get(hub.url, attempt % 2 ? '/hooks' : '/mcp');
      expect(response.status).toBe(401);
      expect(response.text).toContain('unauthorized');
    }
    await unharmed();
    const mcp = await rawHttp(
      hub.url,
      `POST /mcp HTTP/1.1\r\nHost: ${hostOf(hub.url)}\r\nAuthorization: Bearer ${hub.hub.ownerToken}\r\n` +
        `Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\nContent-Length: 2\r\n` +
        `Connection: close\r\n\r\n{}`,
    );
    expect(mcp.status).not.toBe(429);
    expect(mcp.status).not.toBe(401);
  });

  it('wrong credentials are rate-limited, yet the right one still gets through', async () => {
    const { unharmed } = await victim({ limits: { authFailuresPerMinute: 5 } });
    const codes: string[] = [];
    for (let attempt = 0; attempt < 12; attempt++) {
      const guess = await connectHub({ url: hub.url, token: `sbo_guess${attempt}` }).catch(
        (error: { code: string }) => error,
      );
      codes.push((guess as { code: string }).code);
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('unauthorized'));
    expect(codes.slice(5)).toEqual(Array(7).fill('rate_limited'));
    for (let attempt = 0; attempt < 12; attempt++) {
      const response = await get(hub.url, '/hooks', 'Authorization: Bearer sbs_wrong\r\n');
      expect([401, 429]).toContain(response.status);
    }
    expect((await get(hub.url, '/hooks', 'Authorization: Bearer sbs_wrong\r\n')).status).toBe(429);
    await unharmed();
  });

  it('a burst of refusals is summed up in the log, not written line by line (issue 9 #7)', async () => {
    const { unharmed } = await victim();
    const origin = `http://evil.example/${'x'.repeat(4096)}`;
    for (let attempt = 0; attempt < 200; attempt++) {
      const refused = await openSocket(hub.url, { origin });
      expect(refused).toMatchObject({ status: 403 });
      expect((refused as { body: string }).body.length).toBeLessThan(400);
    }
    const logged = hub.logger.events.filter((event) => event.event === 'upgrade.refused');
    expect(logged.length).toBeLessThanOrEqual(10);
    for (const event of logged) expect(String(event.reason).length).toBeLessThan(400);
    await unharmed();
  });
});

describe('strangers and guests cannot make the hub hoard memory (issue 9 #5, #6)', () => {
  it('closes a connection that sends more than a few KB before authenticating, and counts it', async () => {
    const { unharmed } = await victim({ limits: { authFailuresPerMinute: 2 } });
    for (let attempt = 0; attempt < 2; attempt++) {
      const opened = await openSocket(hub.url);
      const stranger = chat((opened as { socket: WebSocket }).socket);
      stranger.send({ type: 'x'.repeat(1024 * 1024) });
      await stranger.closed();
      expect(stranger.replies.every((reply) => JSON.stringify(reply).length < 1000)).toBe(true);
    }
    // Both oversize frames counted: a wrong token from here is now rate-limited, the right one is not.
    await expect(connectHub({ url: hub.url, token: 'sbo_wrong' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await unharmed();
  });

  it('caps connections waiting to authenticate, per address; a timeout counts as a failure', async () => {
    const { unharmed } = await victim({
      limits: { pendingConnectionsPerAddress: 3, authTimeoutMs: 500, authFailuresPerMinute: 3 },
    });
    const waiting = await Promise.all([0, 1, 2].map(() => openSocket(hub.url)));
    const sockets = waiting.map((opened) => chat((opened as { socket: WebSocket }).socket));
    const refused = await openSocket(hub.url);
    expect(refused).toMatchObject({ status: 503 });
    expect((refused as { body: string }).body).toContain('too_many_connections');
    await expect(connectHub({ url: hub.url, token: hub.hub.ownerToken })).rejects.toMatchObject({
      code: 'too_many_connections',
    });
    for (const socket of sockets) await socket.closed(); // the auth timeout ends them
    expect(sockets.map((socket) => socket.closeCode)).toEqual([4401, 4401, 4401]);
    await expect(connectHub({ url: hub.url, token: 'sbo_wrong' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    await unharmed();
  });

  it('never echoes a huge field back, and drops a client that stops reading (observer)', async () => {
    const { owner, session, unharmed } = await victim({ limits: { clientQueueMaxBytes: 256 * 1024 } });
    const { token } = await owner.createInvite('observer', { session: session.id });
    const opened = (await openSocket(hub.url)) as { socket: WebSocket };
    const guest = chat(opened.socket);
    guest.send({ type: 'auth', id: 1, token });
    await guest.reply(1);
    guest.send({ type: 'y'.repeat(512 * 1024), id: 2 });
    const unknown = await guest.reply(2);
    expect(unknown).toMatchObject({ code: 'unknown_type' });
    expect(JSON.stringify(unknown).length).toBeLessThan(1000);

    // Stop reading, then ask for screens until what the hub queued for this client passes its cap.
    opened.socket.pause();
    const dropped = () => hub.logger.events.some((event) => event.event === 'client.dropped');
    const deadline = Date.now() + 20_000;
    for (let request = 0; request < 40_000 && !dropped() && Date.now() < deadline; request++) {
      guest.send({ type: 'session.screen', id: 100 + request, session: session.id });
      if (request % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitUntil(dropped, 5_000, 'client dropped');
    const event = hub.logger.events.find((candidate) => candidate.event === 'client.dropped')!;
    expect(Number(event.queued)).toBeLessThanOrEqual(256 * 1024);
    opened.socket.resume();
    await guest.closed();
    await unharmed();
  });
});

describe('guests see only what their invite covers (issue 9 #10)', () => {
  it('a scoped invitee learns nothing about other sessions from errors', async () => {
    const { owner, session, unharmed } = await victim();
    const others: SessionInfo[] = [];
    for (const name of ['secret-a', 'secret-b', 'secret-c'])
      others.push(
        await owner.createSession({ name, command: process.execPath, args: [fixture('echo-prompt.mjs')] }),
      );
    const { token } = await owner.createInvite('observer', { session: session.id });
    const guest = await hub.client({ token });
    const common = commonPrefix([session, ...others].map((info) => info.id));
    if (common) await expect(owner.screen(common)).rejects.toMatchObject({ code: 'ambiguous_session' });
    for (const reference of ['secret-a', others[1]!.id, others[2]!.id.slice(0, 8), 'nope']) {
      const error = (await guest.screen(reference).catch((caught: unknown) => caught)) as Error & {
        code: string;
      };
      expect(error.code).toBe('unknown_session');
      expect(error.message).not.toMatch(/\d+ sessions|secret|matches/);
    }
    expect(await screenText(guest, session.id.slice(0, 6))).toContain('got:marker-before');
    for (const other of others) await owner.kill(other.id);
    for (const other of others) await owner.remove(other.id);
    await unharmed();
  });
});

const commonPrefix = (ids: string[]) => {
  let prefix = ids[0] ?? '';
  for (const id of ids) while (!id.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
};

/** Every client message type, aimed at the victim session: an observer may read, never change. */
function everyMessage(session: string): { [T in ClientMessageType]: Extract<ClientMessage, { type: T }> } {
  return {
    auth: { type: 'auth', id: 1, token: 'sbo_again' },
    'invite.create': { type: 'invite.create', id: 2, role: 'driver', ttlSeconds: 600 },
    'session.list': { type: 'session.list', id: 3 },
    'session.create': { type: 'session.create', id: 4, command: 'touch', args: ['/tmp/sb-pwned'] },
    'session.kill': { type: 'session.kill', id: 5, session },
    'session.remove': { type: 'session.remove', id: 6, session },
    'session.screen': { type: 'session.screen', id: 7, session },
    attach: { type: 'attach', id: 8, session, mode: 'drive' },
    detach: { type: 'detach', id: 9, session },
    'pty.ack': { type: 'pty.ack', session, chars: 4096 },
    'pty.input': { type: 'pty.input', id: 10, session, data: 'pwned\r' },
    'pty.interrupt': { type: 'pty.interrupt', id: 11, session },
    'pty.resize': { type: 'pty.resize', id: 12, session, cols: 20, rows: 5 },
    'lease.request': { type: 'lease.request', id: 13, session },
    'lease.release': { type: 'lease.release', id: 14, session },
    'lease.grant': { type: 'lease.grant', id: 15, session, clientId: 'c-1' },
    'lease.take': { type: 'lease.take', id: 16, session },
    'task.delegate': { type: 'task.delegate', id: 17, instructions: 'rm -rf ~', cwd: '/tmp' },
    'task.list': { type: 'task.list', id: 18 },
    'task.get': { type: 'task.get', id: 19, task: 'abcd1234' },
    'task.cancel': { type: 'task.cancel', id: 20, task: 'abcd1234' },
    'task.reroute': { type: 'task.reroute', id: 29, task: 'abcd1234', to: session },
    'task.retry': { type: 'task.retry', id: 30, task: 'abcd1234', cwd: '/tmp', force: true },
    'worktree.merge': { type: 'worktree.merge', id: 21, task: 'abcd1234', mode: 'discard', force: true },
    'login.create': { type: 'login.create', id: 22 },
    'invite.list': { type: 'invite.list', id: 23 },
    'invite.revoke': { type: 'invite.revoke', id: 24, invite: 'ab12cd34' },
    'client.kick': { type: 'client.kick', id: 25, clientId: 'c-1' },
    'join.decide': { type: 'join.decide', id: 26, request: 'j-1', allow: true },
    'lan.set': { type: 'lan.set', id: 27, on: true, bind: '127.0.0.1', port: 0 },
    'session.activity': { type: 'session.activity', id: 28, session },
    'inbox.list': { type: 'inbox.list', id: 29 },
    'inbox.answer': { type: 'inbox.answer', id: 30, item: 'in-1', answer: { action: 'allow' } },
    'notice.list': { type: 'notice.list', id: 31 },
    'notice.read': { type: 'notice.read', id: 32, upTo: 1 },
    'session.rename': { type: 'session.rename', id: 31, session, name: 'pwned' },
    'session.restart': { type: 'session.restart', id: 32, session },
    'session.duplicate': { type: 'session.duplicate', id: 33, session },
    'task.history': { type: 'task.history', id: 34, task: 'abcd1234' },
  };
}

describe('roles hold for every message type', () => {
  it('an observer trying every client message changes nothing and gets coded refusals', async () => {
    const { owner, session, unharmed } = await victim();
    const { token } = await owner.createInvite('observer');
    const opened = (await openSocket(hub.url)) as { socket: WebSocket };
    const guest = chat(opened.socket);
    guest.send({ type: 'auth', id: 'a', token });
    expect(await guest.reply('a')).toMatchObject({ type: 'auth.ok', role: 'observer' });
    guest.send({ type: 'attach', id: 'o', session: session.id, mode: 'observe' });
    await guest.reply('o');
    const readOnly = new Set([
      'session.list',
      'session.screen',
      'detach',
      'lease.release',
      'pty.ack',
      'inbox.list',
    ]);
    for (const message of Object.values(everyMessage(session.id))) {
      guest.send(message);
      if (!('id' in message) || message.id === undefined) continue;
      const reply = await guest.reply(message.id);
      if (readOnly.has(message.type)) continue;
      expect(reply.type, message.type).toBe('error');
      expect(['not_allowed', 'unknown_task'], `${message.type}: ${String(reply.code)}`).toContain(reply.code);
    }
    expect(guest.closeCode).toBeUndefined();
    await unharmed();
  });
});

describe('the CLI reports each refusal with its own code (issue 9 #12)', () => {
  it('invite --json says rate_limited, not not_allowed', async () => {
    const { unharmed } = await victim({ limits: { authFailuresPerMinute: 1 } });
    await expect(connectHub({ url: hub.url, token: 'sbo_wrong' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    const env = { ...process.env, SWITCHBOARD_URL: hub.url, SWITCHBOARD_TOKEN: 'sbo_wrong_again' };
    const result = await run(CLI, ['invite', '--role', 'observer', '--json'], { env }).catch(
      (error: { stdout: string; stderr: string }) => error,
    );
    const printed = `${result.stdout}${result.stderr}`;
    expect(printed).toContain('rate_limited');
    expect(printed).not.toContain('not_allowed');
    await unharmed();
  });
});
