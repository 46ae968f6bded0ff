// Issue 10, "Connect to a hub…" in the desktop app: main's connection module (src-main/remoteHubs.ts) joins a
// real hub's LAN listener over TLS on loopback, pinned to the link's fingerprint, logs in with the invite, and
// relays the connection; a fingerprint mismatch is refused before the token is sent; revoke reaches it. The
// LAN /ws admits pages of other origins (the web UI's "Connect to a hub…"), with an invite only.
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import { HubClient, linkedTransports, type HubClient as Client } from '../src-protocol/index.js';
import { connectHub } from '../src-cli/connect.js';
import { pinnedTlsSocket } from '../src-cli/pinnedTls.js';
import { RemoteHubs } from '../src-main/remoteHubs.js';
import { waitUntil } from './helpers.js';

let stateDir: string;
let hub: Hub;
let logger: ReturnType<typeof memoryLogger>;
let owner: Client;
let session = '';

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'switchboard-desktop-join-'));
  logger = memoryLogger();
  hub = createHub({ stateDir, logger });
  await hub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
  owner = await hub.connect();
  session = (await owner.createSession({ name: 'shared', command: '/bin/cat', cols: 80, rows: 12 })).id;
}, 30_000);

afterAll(async () => {
  owner?.close();
  await hub?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

/** The relay as the window sees it: frames and closes per joined hub. */
function relay() {
  const frames: Array<[string, string]> = [];
  const closed: Array<[string, string]> = [];
  const remotes = new RemoteHubs({
    onFrame: (id, frame) => frames.push([id, frame]),
    onClosed: (id, reason) => closed.push([id, reason]),
  });
  return { remotes, frames, closed };
}

describe('RemoteHubs against a real LAN listener', () => {
  it('joins pinned, logs in with the invite, and relays frames both ways under its own id', async () => {
    const invite = await owner.createInvite('observer', { session, name: 'Bob' });
    expect(invite.link).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/ui\/#invite=sbi_/);
    const { remotes, frames } = relay();
    const info = await remotes.connect(invite.link);
    expect(info).toMatchObject({
      id: 'r1',
      origin: hub.lan!.url,
      name: hostname(),
      welcome: { role: 'observer', session },
    });
    remotes.send(info.id, JSON.stringify({ id: 5, type: 'session.list' }));
    await waitUntil(() => frames.some(([, frame]) => frame.includes('"replyTo":5')), 10_000, 'the list');
    const reply = JSON.parse(frames.find(([, frame]) => frame.includes('"replyTo":5'))![1]) as {
      sessions: Array<{ name: string }>;
    };
    expect(reply.sessions.map((entry) => entry.name)).toEqual(['shared']);
    // The owner sees the desktop invitee by its invite's name, over the LAN listener.
    const listing = await owner.listInvites();
    expect(listing.invites.find((entry) => entry.id === invite.id)?.uses).toBe(1);
    remotes.closeAll();
  }, 30_000);

  it('the renderer drives it as a HubClient: attaches as observer, sees output, cannot type', async () => {
    const invite = await owner.createInvite('observer', { session });
    const { remotes, frames } = relay();
    const info = await remotes.connect(invite.link);
    // The window's side: a transport fed by the relayed frames.
    const [windowSide, mainSide] = linkedTransports();
    mainSide.onMessage((frame) => remotes.send(info.id, frame));
    const forward = () => frames.splice(0).forEach(([, frame]) => mainSide.send(frame));
    const pump = setInterval(forward, 10);
    try {
      const client = new HubClient(windowSide, { autoAck: true, requestTimeoutMs: 10_000 });
      await expect(client.attach(session, 'drive')).rejects.toMatchObject({ code: 'not_allowed' });
      const snapshot = await client.attach(session, 'observe');
      expect(snapshot.role).toBe('observer');
      await owner.input(session, 'pinned hello\r');
      let screen = '';
      client.onMessage((message) => {
        if (message.type === 'pty.output') screen += message.data;
      });
      await waitUntil(() => screen.includes('pinned hello'), 10_000, 'the echo');
      await expect(client.input(session, 'x')).rejects.toMatchObject({ code: 'not_allowed' });
    } finally {
      clearInterval(pump);
      remotes.closeAll();
    }
  }, 30_000);

  it("refuses a hub whose certificate is not the link's, naming both, before the token is sent", async () => {
    const invite = await owner.createInvite('driver', { session, name: 'Mallory-target' });
    const wrong = 'f'.repeat(64);
    const forged = invite.link.replace(/fp=[0-9a-f]{64}/, `fp=${wrong}`);
    const before = logger.events.filter((event) => event.event.startsWith('auth')).length;
    const { remotes } = relay();
    const refusal = remotes.connect(forged);
    await expect(refusal).rejects.toMatchObject({ code: 'fingerprint_mismatch' });
    await expect(refusal).rejects.toThrow(new RegExp(`${hub.lan!.fingerprint}[\\s\\S]*${wrong}`));
    expect(remotes.size).toBe(0);
    expect(logger.events.filter((event) => event.event.startsWith('auth')).length).toBe(before);
    expect((await owner.listInvites()).invites.find((entry) => entry.id === invite.id)?.uses ?? 0).toBe(0);
  }, 30_000);

  it('a revoked invite is refused at once; revoking a joined one closes it, and the window hears why', async () => {
    const invite = await owner.createInvite('driver', { session });
    const { remotes, frames, closed } = relay();
    const info = await remotes.connect(invite.link);
    await owner.revokeInvite(invite.id);
    await waitUntil(() => closed.length > 0, 5_000, 'the close');
    expect(closed[0]![0]).toBe(info.id);
    expect(
      frames.some(([, frame]) => frame.includes('"connection.closing"') && frame.includes('revoked')),
    ).toBe(true);
    await expect(remotes.connect(invite.link)).rejects.toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/expired, been revoked/) as unknown as string,
    });
  }, 30_000);

  it('a hub that is down, and an unknown token, get clear errors', async () => {
    const { remotes } = relay();
    const down = `https://127.0.0.1:9/ui/#invite=sbi_${'x'.repeat(43)}&fp=${hub.lan!.fingerprint}`;
    await expect(remotes.connect(down)).rejects.toMatchObject({ code: 'hub_unreachable' });
    const unknown = `${hub.lan!.url}/ui/#invite=sbi_${'y'.repeat(43)}&fp=${hub.lan!.fingerprint}`;
    await expect(remotes.connect(unknown)).rejects.toMatchObject({ code: 'unauthorized' });
  }, 30_000);

  it("a page of another hub's origin may open the LAN /ws, yet still needs an invite; its HTTP is refused", async () => {
    const page = 'http://127.0.0.1:7317';
    const invite = await owner.createInvite('observer', { session, name: 'From a page' });
    const pinned = { fingerprint: hub.lan!.fingerprint, origin: page, requestTimeoutMs: 10_000 };
    const client = await connectHub({ url: hub.lan!.url, token: invite.token }, pinned);
    expect(client.self?.role).toBe('observer');
    client.close();
    await expect(connectHub({ url: hub.lan!.url, token: hub.ownerToken }, pinned)).rejects.toMatchObject({
      code: 'not_allowed',
    });
    await expect(
      connectHub({ url: hub.lan!.url, token: 'sbi_' + 'z'.repeat(43) }, pinned),
    ).rejects.toMatchObject({
      code: 'unauthorized',
    });
    // Cookies buy tickets only through same-origin HTTP: the login API refuses that page.
    const socket = await pinnedTlsSocket(new URL(hub.lan!.url), hub.lan!.fingerprint);
    const reply = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
      socket.on('end', () => resolve(text));
      socket.end(
        `POST /auth/ticket HTTP/1.1\r\nHost: ${new URL(hub.lan!.url).host}\r\nOrigin: ${page}\r\n` +
          'Content-Length: 0\r\nConnection: close\r\n\r\n',
      );
    });
    expect(reply).toMatch(/^HTTP\/1\.1 403/);
    // The loopback listener keeps its exact Origin check for WebSockets too.
    await expect(
      connectHub(
        { url: hub.url!, token: hub.ownerToken },
        { origin: 'http://evil.example', requestTimeoutMs: 10_000 },
      ),
    ).rejects.toMatchObject({ code: 'not_allowed' });
  }, 30_000);
});
