// Ring 2: the hub's guards against a real network client: Host and Origin allowlists, tokens, rate
// limits, oversized and malformed frames. Each refusal is coded, and harms no other client.
import { request } from 'node:http';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { HubError } from '../src-protocol/index.js';
import { connectHub } from '../src-cli/connect.js';
import { fixture, outputOf, startTestHub, waitUntil, type TestHub } from './helpers.js';
import { chat, openSocket } from './rawSocket.js';

let hub: TestHub;
afterEach(async () => {
  await hub?.close();
});

function httpGet(url: string, host: string) {
  return new Promise<number>((resolve, reject) => {
    const target = new URL(url);
    const req = request(
      { host: target.hostname, port: target.port, path: '/', headers: { host } },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    req.once('error', reject);
    req.end();
  });
}

describe('request guards', () => {
  it('refuses a WebSocket upgrade from a foreign Origin', async () => {
    hub = await startTestHub();
    const result = await openSocket(hub.url, { origin: 'http://evil.example' });
    expect(result).toMatchObject({ status: 403 });
    expect((result as { body: string }).body).toContain('not_allowed');
    await expect(
      connectHub({ url: hub.url, token: hub.hub.ownerToken }, { origin: 'http://evil.example' }),
    ).rejects.toThrow(/Origin/);
  });

  it('accepts its own Origin and a missing Origin, both still needing a token', async () => {
    hub = await startTestHub();
    const port = new URL(hub.url).port;
    const sameOrigin = await openSocket(hub.url, { origin: `http://127.0.0.1:${port}` });
    expect(sameOrigin).toHaveProperty('socket');
    const talk = chat((sameOrigin as { socket: WebSocket }).socket);
    talk.send({ type: 'session.list', id: 1 });
    expect(await talk.reply(1)).toMatchObject({ type: 'error', code: 'unauthorized' });
    await waitUntil(() => talk.closeCode !== undefined, 5000, 'close');
    expect(talk.closeCode).toBe(4401);
  });

  it('refuses a foreign Host on HTTP requests and on upgrades (DNS rebinding)', async () => {
    hub = await startTestHub();
    const port = new URL(hub.url).port;
    expect(await httpGet(hub.url, `127.0.0.1:${port}`)).toBe(200);
    expect(await httpGet(hub.url, `localhost:${port}`)).toBe(200);
    expect(await httpGet(hub.url, `attacker.example:${port}`)).toBe(421);
    expect(await httpGet(hub.url, `127.0.0.1:1`)).toBe(421);
    expect(await openSocket(hub.url, { headers: { host: `rebind.example:${port}` } })).toMatchObject({
      status: 421,
    });
  });
});

describe('tokens', () => {
  it('refuses a wrong token and closes the connection', async () => {
    hub = await startTestHub();
    await expect(connectHub({ url: hub.url, token: 'sbo_wrong' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(hub.logger.events.some((event) => event.event === 'auth.failed')).toBe(true);
  });

  it('closes a connection that never authenticates', async () => {
    hub = await startTestHub({ limits: { authTimeoutMs: 300 } });
    const talk = chat(((await openSocket(hub.url)) as { socket: WebSocket }).socket);
    await waitUntil(() => talk.closeCode !== undefined, 5000, 'close');
    expect(talk.closeCode).toBe(4401);
    expect(talk.replies[0]).toMatchObject({ code: 'unauthorized' });
  });

  it('rate-limits wrong tokens from an address, never the right one', async () => {
    hub = await startTestHub({ limits: { authFailuresPerMinute: 3 } });
    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(connectHub({ url: hub.url, token: `sbo_guess${attempt}` })).rejects.toMatchObject({
        code: 'unauthorized',
      });
    }
    await expect(connectHub({ url: hub.url, token: 'sbo_guess4' })).rejects.toMatchObject({
      code: 'rate_limited',
    });
    // Someone else's failures never lock the owner out (issue 9): the right token still gets through.
    const owner = await connectHub({ url: hub.url, token: hub.hub.ownerToken });
    expect(await owner.listSessions()).toEqual([]);
    owner.close();
  });

  it('limits invitees to their role and their session', async () => {
    hub = await startTestHub();
    const owner = await hub.client();
    const mine = await owner.createSession({
      name: 'mine',
      command: process.execPath,
      args: [fixture('echo-prompt.mjs')],
    });
    await owner.createSession({
      name: 'other',
      command: process.execPath,
      args: [fixture('echo-prompt.mjs')],
    });
    const { token } = await owner.createInvite('observer', { session: 'mine' });
    const guest = await hub.client({ token });
    expect((await guest.listSessions()).map((session) => session.name)).toEqual(['mine']);
    await expect(guest.screen('other')).rejects.toMatchObject({ code: 'unknown_session' });
    await expect(guest.createSession({ command: 'bash' })).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(guest.kill(mine.id)).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(guest.createInvite('driver')).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(guest.input(mine.id, 'x\r')).rejects.toMatchObject({ code: 'not_allowed' });
    await expect(guest.attach(mine.id, 'drive')).rejects.toMatchObject({ code: 'not_allowed' });
  });

  it('refuses an expired invite', async () => {
    let offset = 0;
    hub = await startTestHub({ now: () => Date.now() + offset });
    const owner = await hub.client();
    const { token } = await owner.createInvite('observer', { ttlSeconds: 60 });
    await (await hub.client({ token })).listSessions();
    offset = 61_000;
    await expect(hub.client({ token })).rejects.toMatchObject({ code: 'unauthorized' });
  });
});

describe('bad frames', () => {
  it('answers malformed, unknown and invalid messages with codes, and the connection stays usable', async () => {
    hub = await startTestHub();
    const talk = chat(((await openSocket(hub.url)) as { socket: WebSocket }).socket);
    talk.send({ type: 'auth', id: 1, token: hub.hub.ownerToken });
    expect(await talk.reply(1)).toMatchObject({ type: 'auth.ok', role: 'owner' });
    talk.send('{not json');
    talk.send({ type: 'pty.explode', id: 2 });
    talk.send({ type: 'pty.resize', id: 3, session: 'x', cols: -1, rows: 5 });
    talk.send({ type: 'session.screen', id: 4, session: 'no-such-session' });
    expect(await talk.reply(2)).toMatchObject({ code: 'unknown_type' });
    expect(await talk.reply(3)).toMatchObject({ code: 'invalid_message' });
    expect(await talk.reply(4)).toMatchObject({ code: 'unknown_session' });
    expect(talk.replies.some((reply) => reply.code === 'bad_frame')).toBe(true);
    talk.send({ type: 'session.list', id: 5 });
    expect(await talk.reply(5)).toMatchObject({ type: 'session.list.result' });
    expect(talk.closeCode).toBeUndefined();
  });

  it('refuses an oversized frame without harming the sender or other clients', async () => {
    hub = await startTestHub({ limits: { maxFrameChars: 64 * 1024, hardMaxPayloadBytes: 1024 * 1024 } });
    const owner = await hub.client();
    const session = await owner.createSession({
      command: process.execPath,
      args: [fixture('echo-prompt.mjs')],
    });
    const bystander = await hub.client();
    const seen = outputOf(bystander, session.id);
    await bystander.attach(session.id, 'observe');

    const sender = await hub.client();
    await expect(sender.input(session.id, 'y'.repeat(100 * 1024))).rejects.toBeInstanceOf(HubError);
    // Soft cap: a coded error, and the same connection keeps working.
    await sender.input(session.id, 'after-big\r');
    await seen.waitFor('got:after-big');
    // The audit comes a few ms after the input (issue 12): once the small one is there, the big one is not.
    await waitUntil(
      () => hub!.logger.events.some((event) => event.event === 'session.input' && event.chars === 10),
      5_000,
      'the small input in the audit',
    );
    expect(
      hub.logger.events.some((event) => event.event === 'session.input' && Number(event.chars) > 1000),
    ).toBe(false);

    // Hard cap: the frame is not even read; only that connection is closed.
    const brute = chat(((await openSocket(hub.url)) as { socket: WebSocket }).socket);
    brute.send({ type: 'auth', id: 1, token: hub.hub.ownerToken });
    await brute.reply(1);
    brute.send('z'.repeat(2 * 1024 * 1024));
    await waitUntil(() => brute.closeCode !== undefined, 5000, 'hard-cap close');
    expect(brute.closeCode).toBe(1009);
    await owner.input(session.id, 'still-fine\r');
    await seen.waitFor('got:still-fine');
  });
});
