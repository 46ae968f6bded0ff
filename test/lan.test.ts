// Issue 10 on loopback (no root needed): the LAN listener's TLS and certificate, and which credentials each
// listener admits. The LAN listener binds 127.0.0.1 here (test/lanHub.ts).
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { connectHub } from '../src-cli/connect.js';
import { createHub, memoryLogger } from '../src-hub/index.js';
import { certificateFingerprint } from '../src-hub/net/certificate.js';
import { stateDir, hub, logger, owner, clients, lan, invitee, restartHub, useLanHub } from './lanHub.js';

useLanHub();

describe('the LAN listener', () => {
  it('has a P-256 certificate made once in the state directory (0600), reused after a restart', async () => {
    const pem = readFileSync(join(stateDir, 'lan-cert.pem'), 'utf8');
    expect(lan().fingerprint).toBe(certificateFingerprint(pem));
    expect(lan().fingerprint).toMatch(/^[0-9a-f]{64}$/);
    for (const file of ['lan-cert.pem', 'lan-key.pem'])
      expect(statSync(join(stateDir, file)).mode & 0o777).toBe(0o600);
    const before = lan().fingerprint;
    await restartHub();
    expect(lan().fingerprint).toBe(before);
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
