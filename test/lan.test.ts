// Issue 10 on loopback (no root needed): the LAN listener's TLS and certificate, which credentials each
// listener admits, the bad inputs of `switchboard join`, revoke, kick, approval, names, attribution in the
// event table, and handing the input lease over. The LAN listener binds 127.0.0.1 here.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../src-cli/connect.js';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import { certificateFingerprint } from '../src-hub/net/certificate.js';
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { waitForScreen, waitUntil } from './helpers.js';
import { hubEnv } from './hubProcess.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'switchboard');

let stateDir: string;
let hub: Hub;
let logger: ReturnType<typeof memoryLogger>;
let owner: HubClient;
let session = '';
const clients: HubClient[] = [];
const children: ChildProcess[] = [];

async function startHub(limits: Record<string, number> = {}) {
  logger = memoryLogger();
  hub = createHub({ stateDir, logger, limits: { joinApprovalMs: 1_500, ...limits } });
  await hub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
  owner = await hub.connect();
}

const lan = () => hub.lan!;
async function invitee(token: string, options: { fingerprint?: string } = {}) {
  const client = await connectHub(
    { url: lan().url, token },
    { fingerprint: options.fingerprint ?? lan().fingerprint, autoAck: true, requestTimeoutMs: 10_000 },
  );
  clients.push(client);
  return client;
}

function join_(link: string, home = mkdtempSync(join(tmpdir(), 'switchboard-joiner-'))) {
  const child = spawn(process.execPath, [BIN, 'join', link], { env: hubEnv(home), stdio: 'pipe' });
  children.push(child);
  const output = { stdout: '', stderr: '', code: null as number | null, exited: false };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  child.once('exit', (code) => Object.assign(output, { code, exited: true }));
  return { child, output, home };
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'switchboard-lan-'));
  await startHub();
  session = (await owner.createSession({ name: 'shared', command: '/bin/cat', cols: 80, rows: 12 })).id;
}, 30_000);

afterEach(() => {
  for (const client of clients.splice(0)) client.close();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  owner?.close();
  await hub?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('the LAN listener', () => {
  it('has a P-256 certificate made once in the state directory (0600), reused after a restart', async () => {
    const pem = readFileSync(join(stateDir, 'lan-cert.pem'), 'utf8');
    expect(lan().fingerprint).toBe(certificateFingerprint(pem));
    expect(lan().fingerprint).toMatch(/^[0-9a-f]{64}$/);
    for (const file of ['lan-cert.pem', 'lan-key.pem'])
      expect(statSync(join(stateDir, file)).mode & 0o777).toBe(0o600);
    const before = lan().fingerprint;
    owner.close();
    await hub.close();
    await startHub();
    expect(lan().fingerprint).toBe(before);
    session = (await owner.createSession({ name: 'shared2', command: '/bin/cat', cols: 80, rows: 12 })).id;
  }, 30_000);

  it('never binds every interface: --bind 0.0.0.0 is refused', async () => {
    const other = createHub({
      stateDir: mkdtempSync(join(tmpdir(), 'switchboard-lan-any-')),
      logger: memoryLogger(),
    });
    try {
      await expect(
        other.listen({ port: 0, writeHubFile: false, lan: { bind: '0.0.0.0', port: 0 } }),
      ).rejects.toThrow(/every network/);
    } finally {
      await other.close();
      rmSync(other.stateDir, { recursive: true, force: true });
    }
  });

  it('keeps invite tokens only as digests in the database', async () => {
    const invite = await owner.createInvite('observer', { name: 'Hashed' });
    const stored = ['switchboard.db', 'switchboard.db-wal']
      .map((file) => {
        try {
          return readFileSync(join(stateDir, file)).toString('latin1');
        } catch {
          return '';
        }
      })
      .join('');
    expect(stored).toContain('Hashed'); // the invite is there…
    expect(stored).not.toContain(invite.token); // …its token is not
    expect(stored).not.toContain(invite.token.slice(4)); // not even without its prefix
  });

  it('refuses TLS below 1.2, and answers plain HTTP with a plain refusal', async () => {
    const { port } = new URL(lan().url);
    const old = await new Promise<string>((done) => {
      const socket = tlsConnect({
        host: '127.0.0.1',
        port: Number(port),
        maxVersion: 'TLSv1.1',
        minVersion: 'TLSv1',
        rejectUnauthorized: false,
      });
      socket.once('secureConnect', () => done('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
    });
    expect(old).not.toBe('connected');
    const plain = await new Promise<string>((done) => {
      let answer = '';
      const socket = netConnect(Number(port), '127.0.0.1', () =>
        socket.write(`GET /ui/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`),
      );
      socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
      socket.on('close', () => done(answer));
    });
    expect(plain).toMatch(/^HTTP\/1\.1 400 /);
    expect(plain).toContain('This port speaks HTTPS only');
  });

  it('never admits the owner token, nor an owner login ticket; both stay good on loopback', async () => {
    await expect(invitee(hub.ownerToken)).rejects.toMatchObject({ code: 'not_allowed' });
    const loginPath = hub.createLoginPath();
    const ticket = loginPath.split('#login=')[1]!;
    const { port } = new URL(lan().url);
    const status = await new Promise<number>((done) => {
      const body = JSON.stringify({ secret: ticket });
      const post = request(
        {
          host: '127.0.0.1',
          port,
          path: '/auth/login',
          method: 'POST',
          rejectUnauthorized: false,
          headers: { 'content-type': 'application/json', origin: lan().url, host: `127.0.0.1:${port}` },
        },
        (response) => {
          response.resume();
          done(response.statusCode ?? 0);
        },
      );
      post.end(body);
    });
    expect(status).toBe(403);
    // The refused ticket was not used up: it still logs a browser in on the loopback listener.
    const local = await fetch(new URL('/auth/login', hub.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: hub.url! },
      body: JSON.stringify({ secret: ticket }),
    });
    expect(local.status).toBe(200);
    const client = await connectHub({ url: hub.url!, token: hub.ownerToken });
    clients.push(client);
    expect(client.self?.role).toBe('owner');
  });

  it('refuses an invite on the plain listener from another address, and counts no use', async () => {
    const invite = await owner.createInvite('observer', { name: 'Far' });
    const transport = hub.openConnection('192.0.2.77');
    const { HubClient: Client } = await import('../src-protocol/index.js');
    const remote = new Client(transport);
    // In process the refusal frame races the close; what the hub decided is in its log.
    await expect(remote.auth(invite.token, 'cli')).rejects.toBeDefined();
    expect(logger.events).toContainEqual(
      expect.objectContaining({
        event: 'auth.refused',
        address: '192.0.2.77',
        credential: `invite:${invite.id}`,
      }),
    );
    const listed = await owner.listInvites();
    expect(listed.invites.find((entry) => entry.id === invite.id)?.uses).toBe(0);
    // The same token from this machine is fine.
    const local = hub.openConnection('127.0.0.1');
    await expect(new Client(local).auth(invite.token, 'cli')).resolves.toMatchObject({ role: 'observer' });
    local.close();
  });
});

describe('switchboard join: bad input gets a clear error and changes nothing', () => {
  it('an expired, a revoked and a wrong-fingerprint link; a link to a hub that is down', async () => {
    const revoked = await owner.createInvite('observer', { session });
    await owner.revokeInvite(revoked.id);
    const wrongPrint = await owner.createInvite('observer', { session });
    const cases = [
      [revoked.link, 'expired, been revoked'],
      [wrongPrint.link.replace(/fp=\w+/, `fp=${'0'.repeat(64)}`), `expects ${'0'.repeat(64)}`],
      [wrongPrint.link.replace(/:\d+\//, ':9/'), 'No hub answers'],
      [wrongPrint.link.replace('https:', 'http:').replace('127.0.0.1', '192.0.2.1'), 'must be https'],
    ] as const;
    for (const [link, words] of cases) {
      const { output, home } = join_(link);
      await waitUntil(() => output.exited, 20_000, `join ${link}`);
      expect(output.code, output.stderr).toBe(1);
      expect(output.stderr.toLowerCase()).toContain(words.toLowerCase());
      expect(readdirSync(home)).toEqual([]); // the joiner's own hub directory is left alone
    }
  }, 90_000);

  it('a join to a session that has ended', async () => {
    const ended = await owner.createSession({ name: 'gone', command: '/bin/true' });
    await waitUntil(() => hub.registry.find(ended.id)?.isEnded === true, 10_000, 'the session to end');
    const invite = await owner.createInvite('observer', { session: ended.id });
    const { output } = join_(invite.link);
    await waitUntil(() => output.exited, 20_000, 'the join');
    expect(output.code).toBe(1);
    expect(output.stderr).toContain('has ended');
  }, 30_000);

  it('an expired invite: refused at once', async () => {
    const now = Date.now();
    let expired = false;
    const clockHub = createHub({
      stateDir: mkdtempSync(join(tmpdir(), 'switchboard-lan-clock-')),
      logger: memoryLogger(),
      now: () => now + (expired ? 3600_000 : 0),
    });
    await clockHub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
    try {
      const control = await clockHub.connect();
      const invite = await control.createInvite('observer', { ttlSeconds: 60 });
      expired = true;
      const { output } = join_(invite.link);
      await waitUntil(() => output.exited, 20_000, 'the join');
      expect(output.code).toBe(1);
      expect(output.stderr).toContain('expired');
      control.close();
    } finally {
      await clockHub.close();
      rmSync(clockHub.stateDir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('identities, revoke, kick, approval, lease hand-over', () => {
  it('presence and the lease name people; every input is attributed in the event table', async () => {
    const bob = await owner.createInvite('driver', { session, name: 'Bob' });
    const ada = await owner.createInvite('observer', { session, name: 'Ada' });
    const driver = await invitee(bob.token);
    const watcher = await invitee(ada.token);
    const seen: HubMessage[] = [];
    watcher.onMessage((message) => seen.push(message));
    await watcher.attach(session, 'observe');
    await driver.attach(session, 'drive');
    await driver.input(session, 'named-input\r');
    await waitForScreen(owner, session, 'named-input');
    await waitUntil(
      () =>
        seen.some(
          (message) =>
            message.type === 'session.presence' &&
            message.clients.some((entry) => entry.name === 'Bob' && entry.role === 'driver'),
        ),
      5_000,
      'presence with names',
    );
    await waitUntil(
      () => seen.some((message) => message.type === 'lease.changed' && message.holderName === 'Bob'),
      5_000,
      'the lease with its holder name',
    );
    const database = new Database(join(stateDir, 'switchboard.db'), { readonly: true });
    const rows = database
      .prepare("SELECT data FROM events WHERE kind = 'session.input' AND session = ?")
      .all(session) as Array<{ data: string }>;
    database.close();
    const inputs = rows.map((row) => JSON.parse(row.data) as Record<string, unknown>);
    expect(inputs).toContainEqual(
      expect.objectContaining({ name: 'Bob', credential: `invite:${bob.id}`, chars: 'named-input\r'.length }),
    );
    expect(JSON.stringify(inputs)).not.toContain('named-input'); // who and how much, never what
    // The owner reads the same as the session's activity; an invitee may not.
    const activity = await owner.activity(session);
    expect(activity).toContainEqual(
      expect.objectContaining({
        kind: 'client.attached',
        data: expect.objectContaining({ name: 'Ada', role: 'observer' }) as object,
      }),
    );
    expect(activity.some((event) => event.kind === 'session.input' && event.data.name === 'Bob')).toBe(true);
    await expect(driver.activity(session)).rejects.toMatchObject({ code: 'not_allowed' });
  });

  it('revoke disconnects every client that joined with the invite, saying why', async () => {
    const invite = await owner.createInvite('observer', { session, name: 'Twice' });
    const first = await invitee(invite.token);
    const second = await invitee(invite.token);
    const notices: string[] = [];
    for (const client of [first, second])
      client.onMessage((message) => message.type === 'connection.closing' && notices.push(message.reason));
    const closed = [first, second].map((client) => new Promise((done) => client.onClose(done)));
    const started = Date.now();
    expect((await owner.revokeInvite(invite.id)).disconnected).toBe(2);
    await Promise.all(closed);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(notices).toEqual(['revoked', 'revoked']);
    await expect(invitee(invite.token)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('the owner kicks a client; the CLI join prints why and exits 1', async () => {
    const invite = await owner.createInvite('observer', { session, name: 'Kicked' });
    const { output } = join_(invite.link);
    await waitUntil(() => output.stdout.includes('\x1b[2J'), 20_000, 'the join to attach');
    const listed = await owner.listInvites();
    const clientId = listed.invites.find((entry) => entry.id === invite.id)!.clients[0]!.clientId;
    await owner.kick(clientId);
    await waitUntil(() => output.exited, 5_000, 'the join to exit');
    expect(output.code).toBe(1);
    expect(output.stdout).toContain("The hub's owner disconnected you.");
  }, 30_000);

  it('an invite made with --approve waits for the owner: approved, refused, or refused after the timeout', async () => {
    const invite = await owner.createInvite('driver', { session, name: 'Asks', approve: true });
    const events: HubMessage[] = [];
    owner.onMessage((message) => message.type === 'join.event' && events.push(message));
    const waiting = invitee(invite.token);
    await waitUntil(
      () => events.some((event) => event.type === 'join.event' && event.kind === 'pending'),
      5_000,
      'the request',
    );
    expect((await owner.listInvites()).joinRequests.map((request) => request.name)).toEqual(['Asks']);
    await owner.decideJoin(invite.id, true);
    await expect(waiting).resolves.toBeDefined();

    const refused = invitee(invite.token);
    await waitUntil(
      () => events.filter((event) => event.type === 'join.event' && event.kind === 'pending').length === 2,
      5_000,
      'the second request',
    );
    const pending = (await owner.listInvites()).joinRequests[0]!;
    await owner.decideJoin(pending.id, false);
    await expect(refused).rejects.toMatchObject({
      code: 'not_allowed',
      message: expect.stringContaining('refused') as string,
    });

    // Unanswered (the test hub waits 1.5 s instead of 2 minutes): a clear refusal.
    await expect(invitee(invite.token)).rejects.toMatchObject({
      code: 'not_allowed',
      message: expect.stringContaining('did not approve') as string,
    });
    const uses = (await owner.listInvites()).invites.find((entry) => entry.id === invite.id)?.uses;
    expect(uses).toBe(1); // only the approved join counts
  }, 30_000);

  it('a driver without the lease asks for it; the holder hands it over', async () => {
    const one = await owner.createInvite('driver', { session, name: 'One' });
    const two = await owner.createInvite('driver', { session, name: 'Two' });
    const first = await invitee(one.token);
    const second = await invitee(two.token);
    const heard: HubMessage[] = [];
    first.onMessage((message) => heard.push(message));
    await first.attach(session, 'drive');
    await second.attach(session, 'drive');
    await first.input(session, 'x');
    await expect(second.input(session, 'y')).rejects.toMatchObject({ code: 'lease_held' });
    await second.leaseRequest(session);
    await waitUntil(
      () =>
        heard.some(
          (message) =>
            message.type === 'lease.changed' &&
            message.reason === 'requested' &&
            message.pending.includes(second.self!.clientId),
        ),
      5_000,
      'the holder to hear the request',
    );
    await first.leaseGrant(session, second.self!.clientId);
    await expect(second.input(session, 'z')).resolves.toMatchObject({ type: 'ok' });
    await expect(first.input(session, 'w')).rejects.toMatchObject({ code: 'lease_held' });
  });
});

describe('the input lease in `switchboard join` (status lines, Ctrl-^)', () => {
  it('typing without the lease asks for it; the holder sees who asks and hands it over with Ctrl-^', async () => {
    const first = join_((await owner.createInvite('driver', { session, name: 'Holder' })).link);
    const second = join_((await owner.createInvite('driver', { session, name: 'Asker' })).link);
    await waitUntil(
      () => first.output.stdout.includes('\x1b[2J') && second.output.stdout.includes('\x1b[2J'),
      20_000,
      'both joins',
    );
    first.child.stdin.write('held-');
    await waitForScreen(owner, session, 'held-');
    second.child.stdin.write('wanted');
    await waitUntil(
      () => second.output.stdout.includes('Holder holds the input lease; you asked for it'),
      10_000,
      'the asker’s status line',
    );
    await waitUntil(
      () => first.output.stdout.includes('Asker asks for the input lease: press Ctrl-^'),
      10_000,
      'the holder’s prompt',
    );
    expect((await owner.screen(session)).lines.join('\n')).not.toContain('wanted');
    first.child.stdin.write('\x1e'); // Ctrl-^: hand it over
    await waitUntil(() => second.output.stdout.includes('You hold the input lease'), 10_000, 'the hand-over');
    second.child.stdin.write('now-mine\r');
    await waitForScreen(owner, session, 'now-mine');
  }, 60_000);
});

describe('the LAN toggle (lan.set)', () => {
  it('off closes the listener and its connections; on opens it again with the same certificate', async () => {
    const before = lan();
    const invite = await owner.createInvite('observer', { session, name: 'Toggled' });
    const guest = await invitee(invite.token);
    const closed = new Promise((done) => guest.onClose(done));
    expect((await owner.setLan(false)).lan).toBeNull();
    await closed;
    expect(hub.lan).toBeUndefined();
    expect((await owner.createInvite('observer')).lan).toBe(false); // links point at loopback meanwhile
    const state = await owner.setLan(true, { bind: '127.0.0.1', port: 0 });
    expect(state.lan?.fingerprint).toBe(before.fingerprint);
    expect(state.lan?.url).toBe(hub.lan?.url);
    await expect(invitee(invite.token)).resolves.toBeDefined();
  });

  it('only the owner may turn it on or off', async () => {
    const invite = await owner.createInvite('driver', { session });
    const guest = await invitee(invite.token);
    await expect(guest.setLan(false)).rejects.toMatchObject({ code: 'not_allowed' });
    expect(hub.lan).toBeDefined();
  });
});

// Last: it leaves 127.0.0.1 blocked for wrong credentials for a minute.
describe('rate limits on the LAN listener', () => {
  it('rate-limits wrong tokens per address, yet a right invite still gets in', async () => {
    for (let attempt = 0; attempt < 12; attempt++)
      await invitee(`sbi_wrong${attempt}`).catch(() => undefined);
    await expect(invitee('sbi_wrong_again')).rejects.toMatchObject({ code: 'rate_limited' });
    const invite = await owner.createInvite('observer');
    await expect(invitee(invite.token)).resolves.toBeDefined();
  }, 30_000);
});
