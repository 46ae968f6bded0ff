// Issue 10: unfinished TLS handshakes on the LAN listener are capped per address and in all. A flood of
// half-done handshakes from one address is cut off at its share; another address (an invitee) and the owner
// (on loopback) still get in; finished handshakes free their place; nothing crashes. Loopback aliases
// (127.0.0.2, .3) stand for other machines.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as netConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../src-cli/connect.js';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import type { HubClient } from '../src-protocol/index.js';
import { waitUntil } from './helpers.js';

const PER_ADDRESS = 4;
const TOTAL = 10;

let stateDir: string;
let hub: Hub;
let logger: ReturnType<typeof memoryLogger>;
let owner: HubClient;
const sockets: Socket[] = [];
const clients: HubClient[] = [];

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'switchboard-handshakes-'));
  logger = memoryLogger();
  hub = createHub({
    stateDir,
    logger,
    limits: { pendingHandshakesPerAddress: PER_ADDRESS, pendingHandshakesTotal: TOTAL },
  });
  await hub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
  owner = await hub.connect();
}, 30_000);

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const client of clients.splice(0)) client.close();
});

afterAll(async () => {
  owner?.close();
  await hub?.close();
  rmSync(stateDir, { recursive: true, force: true });
});

const lanPort = () => Number(new URL(hub.lan!.url).port);

/** A connection that starts a TLS record and never finishes the handshake; `closed` tells if the hub cut it. */
function halfHandshake(from: string) {
  const socket = netConnect({ host: '127.0.0.1', port: lanPort(), localAddress: from });
  sockets.push(socket);
  const state = { closed: false };
  socket.on('error', () => undefined);
  socket.on('close', () => (state.closed = true));
  socket.on('connect', () => socket.write(Buffer.from([0x16, 0x03, 0x01])));
  return state;
}

/** A finished TLS handshake from `from`, held open. */
function fullHandshake(from: string): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: '127.0.0.1',
      port: lanPort(),
      localAddress: from,
      rejectUnauthorized: false,
    } as ConnectionOptions); // localAddress reaches net.connect, though the TLS options type omits it
    sockets.push(socket);
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
    socket.once('close', () => reject(new Error(`the hub closed the handshake from ${from}`)));
  });
}

const limited = () =>
  logger.events.filter((entry) => entry.event === 'connection.limited' && entry.reason === 'TLS handshakes');

describe('pending TLS handshakes on the LAN listener', () => {
  it('cuts one address off at its share; an invitee from another address and the owner still get in', async () => {
    const flood = Array.from({ length: 12 }, () => halfHandshake('127.0.0.2'));
    await waitUntil(
      () => flood.filter((entry) => entry.closed).length >= 12 - PER_ADDRESS,
      10_000,
      'cut-offs',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(flood.filter((entry) => !entry.closed)).toHaveLength(PER_ADDRESS);
    expect(limited().length).toBeGreaterThanOrEqual(12 - PER_ADDRESS);
    expect(limited()[0]).toMatchObject({ address: '127.0.0.2' });

    // The flood is still held open: a colleague from another address joins with an invite and lists sessions.
    const invite = await owner.createInvite('observer', { name: 'Colleague' });
    const invitee = await connectHub(
      { url: hub.lan!.url, token: invite.token },
      { fingerprint: hub.lan!.fingerprint, requestTimeoutMs: 10_000 },
    );
    clients.push(invitee);
    expect(invitee.self?.role).toBe('observer');
    await expect(invitee.listSessions()).resolves.toEqual([]);
    // The owner, on the loopback listener over the network, too.
    const ownerOverNet = await connectHub(
      { url: hub.url!, token: hub.ownerToken },
      { requestTimeoutMs: 10_000 },
    );
    clients.push(ownerOverNet);
    expect(ownerOverNet.self?.role).toBe('owner');
    // The flooding address itself gets nothing more while its share is taken.
    await expect(fullHandshake('127.0.0.2')).rejects.toThrow();
  }, 30_000);

  it('frees a place when a handshake finishes or its socket closes', async () => {
    // Finished handshakes do not count: more than the share of them, held open, from one address.
    const held = [];
    for (let index = 0; index < PER_ADDRESS + 2; index++) held.push(await fullHandshake('127.0.0.3'));
    expect(held.every((socket) => socket.encrypted && !socket.destroyed)).toBe(true);
    // Half-done ones from there fill the share, and closing them frees it again.
    const flood = Array.from({ length: PER_ADDRESS }, () => halfHandshake('127.0.0.3'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(flood.some((entry) => entry.closed)).toBe(false);
    await expect(fullHandshake('127.0.0.3')).rejects.toThrow();
    for (const socket of sockets.splice(0)) socket.destroy();
    await waitUntil(() => flood.every((entry) => entry.closed), 5_000, 'the flood to close');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fullHandshake('127.0.0.3')).resolves.toMatchObject({ encrypted: true });
  }, 30_000);

  it('caps all addresses together, and the hub keeps serving', async () => {
    const addresses = ['127.0.0.4', '127.0.0.5', '127.0.0.6'];
    const flood = addresses.flatMap((address) =>
      Array.from({ length: PER_ADDRESS }, () => halfHandshake(address)),
    );
    // 12 asked, 10 fit in all.
    await waitUntil(
      () => flood.filter((entry) => entry.closed).length >= flood.length - TOTAL,
      10_000,
      'cap',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(flood.filter((entry) => !entry.closed)).toHaveLength(TOTAL);
    const response = await fetch(`${hub.url!}/healthz`);
    expect(response.status).toBe(200);
    for (const socket of sockets.splice(0)) socket.destroy();
    await waitUntil(() => flood.every((entry) => entry.closed), 5_000, 'the flood to close');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(fullHandshake('127.0.0.7')).resolves.toMatchObject({ encrypted: true });
  }, 30_000);
});
