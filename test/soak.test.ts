// Ring 3 soak, issue 9 (hostile input never takes the hub down): a real hub process with one running session
// takes 60 s of hostile loopback traffic from eight clients; it stays up, its memory stays bounded, the session
// still answers, and the owner's CLI still works right afterwards.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, SessionInfo } from '../src-protocol/index.js';
import { LIMITS } from '../src-hub/limits.js';
import { connectHub } from '../src-cli/connect.js';
import { fixture, waitForScreen } from './helpers.js';
import { hostileFrame, malformedHubFrame, validSamples } from './hostileFrames.js';
import { startAttackedHub, type HubProcess } from './attackedHub.js';

/** ms of hostile traffic; SWITCHBOARD_SOAK_MS shortens it for a local try, CI runs the full minute. */
const SOAK_MS = Number(process.env.SWITCHBOARD_SOAK_MS ?? 60_000);
/**
 * MB the hub's resident memory may grow over the soak. An idle hub with a session is about 100 MB. Measured
 * on a loaded 2-core machine: +20 to +85 MB after the minute (V8 grows its heap before it collects hard),
 * back near +50 MB within 150 s, so no leak. 150 MB leaves room for that and still catches a leak of a few
 * KB per connection or frame (several thousand connections and 15,000 to 20,000 frames a minute here).
 */
const RSS_GROWTH_LIMIT_MB = 150;
/**
 * Eight clients. Three guess tokens too, two of them from the owner's own address (a lockout there is what the
 * owner would feel); the five others take no guessing steps, so a lockout seldom stands in their frames' way.
 */
const CLIENTS = [
  { address: '127.0.0.1', guesses: true },
  { address: '127.0.0.1', guesses: true },
  { address: '127.0.0.2', guesses: true },
  ...['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6', '127.0.0.7'].map((address) => ({
    address,
    guesses: false,
  })),
];
/** Bounds on each client's loop besides the deadline, and on each step of it. */
const MAX_STEPS_PER_CLIENT = 20_000;
const STEP_TIMEOUT_MS = 3_000;

let hub: HubProcess;
let owner: HubClient;
let session: SessionInfo;
const open = new Set<WebSocket | Socket>(); // every socket the soak opened and has not seen close

const stats = { steps: 0, sockets: 0, frames: 0, replies: 0, refusals: new Map<number, number>() };
const malformed: string[] = [];
const dropAll = () => {
  for (const socket of open) {
    if (socket instanceof WebSocket) socket.terminate();
    else socket.destroy();
  }
};
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Opens a WebSocket from `address`; resolves once it is open, or refused (with the HTTP status), or failed. */
function openSocket(address: string, headers: { origin?: string } = {}) {
  return new Promise<{ socket?: WebSocket; status?: number }>((done) => {
    const socket = new WebSocket(`${hub.url.replace('http', 'ws')}/ws`, {
      localAddress: address,
      handshakeTimeout: 2_000,
      ...(headers.origin ? { origin: headers.origin } : {}),
    });
    stats.sockets++;
    open.add(socket);
    socket.on('message', (data: Buffer, binary) => {
      stats.replies++;
      const wrong = binary ? 'a binary frame' : malformedHubFrame(data.toString('utf8'));
      if (wrong && malformed.length < 20) malformed.push(wrong);
    });
    socket.once('open', () => done({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      stats.refusals.set(response.statusCode ?? 0, (stats.refusals.get(response.statusCode ?? 0) ?? 0) + 1);
      response.resume();
      socket.terminate();
      done({ status: response.statusCode ?? 0 });
    });
    socket.on('error', () => done({}));
    socket.once('close', () => {
      open.delete(socket);
      done({});
    });
  });
}

const closed = (socket: WebSocket, ms: number) =>
  new Promise<void>((done) => {
    if (socket.readyState === WebSocket.CLOSED) return done();
    socket.once('close', () => done());
    setTimeout(done, ms);
  });

function send(socket: WebSocket, data: string | Buffer, binary = false): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  stats.frames++;
  socket.send(data, { binary });
}

interface Pools {
  frames: string[];
  wrongRole: string[];
  tokens: { observer: string; driver: string };
  big: { underCap: string; overCap: string; overHardCap: Buffer };
}
let pools: Pools;

/** A guessed, malformed or oversized token: what locks an address out. */
async function guessToken(address: string): Promise<void> {
  const { socket } = await openSocket(address);
  if (!socket) return;
  const token = pick([`sbo_${randomBytes(32).toString('base64url')}`, 'x'.repeat(600), '', 'sbi_']);
  send(socket, JSON.stringify({ type: 'auth', id: 1, token }));
  await closed(socket, 1_000);
}

interface Step {
  weight: number;
  /** Fails authentication on purpose (only the guessing clients take these steps). */
  guess?: boolean;
  run: (address: string) => Promise<void>;
}

/** The hostile things one client can do in a step; each ends its own sockets (or the step's timeout does). */
const steps: Step[] = [
  { weight: 4, guess: true, run: guessToken },
  {
    weight: 4, // frames before authenticating
    run: async (address) => {
      const { socket } = await openSocket(address);
      if (!socket) return;
      for (let index = 0; index < 1 + Math.floor(Math.random() * 8); index++)
        send(socket, pick(pools.frames));
      await closed(socket, 500);
    },
  },
  {
    weight: 6, // an invitee sending what its role may not, and random frames
    run: async (address) => {
      const { socket } = await openSocket(address);
      if (!socket) return;
      const token = Math.random() < 0.5 ? pools.tokens.observer : pools.tokens.driver;
      send(socket, JSON.stringify({ type: 'auth', id: 'auth', token, client: 'soak' }));
      for (let index = 0; index < 20; index++) {
        send(socket, Math.random() < 0.5 ? pick(pools.wrongRole) : pick(pools.frames));
        if (index % 5 === 4) await sleep(10);
      }
      await sleep(100);
      socket.close();
    },
  },
  {
    weight: 2, // random bytes: binary frames, and text frames that are not UTF-8
    run: async (address) => {
      const { socket } = await openSocket(address);
      if (!socket) return;
      send(socket, randomBytes(1 + Math.floor(Math.random() * 4096)), true);
      send(socket, Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]), false);
      await closed(socket, 500);
    },
  },
  {
    weight: 1, // frames at the hub's size limits: just under the cap, just over it, over the hard cap
    run: async (address) => {
      const { socket } = await openSocket(address);
      if (!socket) return;
      send(socket, JSON.stringify({ type: 'auth', id: 'auth', token: pools.tokens.observer }));
      const which = Math.random();
      if (which < 0.45) send(socket, pools.big.underCap);
      else if (which < 0.9) send(socket, pools.big.overCap);
      else send(socket, pools.big.overHardCap, true);
      await closed(socket, 1_000);
    },
  },
  {
    weight: 3, // reconnect churn: open and drop at once, politely or not, a few at a time
    run: async (address) => {
      const opened = await Promise.all([0, 1, 2].map(() => openSocket(address)));
      for (const { socket } of opened)
        if (Math.random() < 0.5) socket?.terminate();
        else socket?.close();
    },
  },
  {
    weight: 2, // raw TCP: random bytes, half a request, or an upgrade followed by garbage frames
    run: (address) =>
      new Promise<void>((done) => {
        const socket = connect({ host: '127.0.0.1', port: hub.port, localAddress: address });
        stats.sockets++;
        open.add(socket);
        socket.on('error', () => undefined);
        socket.once('close', () => {
          open.delete(socket);
          done();
        });
        socket.once('connect', () => {
          const key = randomBytes(16).toString('base64');
          const upgrade =
            `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${hub.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
          socket.write(
            pick([randomBytes(512), `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${hub.port}\r\n`, upgrade]),
          );
          if (Math.random() < 0.5) socket.write(randomBytes(256));
          setTimeout(() => socket.destroy(), 200);
        });
      }),
  },
  {
    weight: 1, // a page elsewhere opening the socket: refused by Origin
    run: async (address) => {
      const { status } = await openSocket(address, { origin: 'http://evil.example' });
      if (status !== undefined && status !== 403 && status !== 429 && malformed.length < 20)
        malformed.push(`foreign Origin got HTTP ${status}`);
    },
  },
  {
    weight: 1, // /hooks and /mcp with a wrong bearer token
    guess: true,
    run: (address) =>
      new Promise<void>((done) => {
        const call = request(
          {
            host: '127.0.0.1',
            port: hub.port,
            localAddress: address,
            method: 'POST',
            path: pick(['/hooks', '/mcp']),
            headers: {
              authorization: `Bearer ${randomBytes(8).toString('hex')}`,
              'content-type': 'application/json',
            },
          },
          (response) => {
            response.resume();
            response.once('end', done);
          },
        );
        call.on('error', () => done());
        call.end(pick(pools.frames));
      }),
  },
];

const weighted = (guesses: boolean) =>
  steps
    .filter((step) => guesses || !step.guess)
    .flatMap((step) => Array.from({ length: step.weight }, () => step));

/** One client's loop: a step at a time, each bounded in time, until the deadline or the step limit. */
async function client({ address, guesses }: (typeof CLIENTS)[number], deadline: number): Promise<void> {
  const choices = weighted(guesses);
  for (let count = 0; count < MAX_STEPS_PER_CLIENT && Date.now() < deadline && !hub.exit; count++) {
    const step = pick(choices);
    await Promise.race([step.run(address).catch(() => undefined), sleep(STEP_TIMEOUT_MS)]);
    stats.steps++;
    await sleep(2 + Math.random() * 8); // other engineers share the machine's two cores
  }
}

beforeAll(async () => {
  hub = await startAttackedHub();
  owner = await connectHub({ url: hub.url, token: hub.ownerToken });
  session = await owner.createSession({
    name: 'soak',
    command: process.execPath,
    args: [fixture('sturdy-echo.mjs')],
    cwd: hub.home,
  });
  await waitForScreen(owner, session.id, 'ready>');
  const observer = (await owner.createInvite('observer', { session: session.id })).token;
  const driver = (await owner.createInvite('driver')).token;
  const targets = { sessions: [session.id, 'soak', session.id.slice(0, 6), 'nope'], tokens: ['sbo_guess'] };
  const samples = Object.values(validSamples(targets, 7)).map((sample) => JSON.stringify(sample));
  const cap = LIMITS.maxFrameChars;
  pools = {
    frames: fc.sample(hostileFrame(targets), 2_000),
    wrongRole: samples,
    tokens: { observer, driver },
    big: {
      underCap: JSON.stringify({ type: 'session.screen', id: 9, session: 's'.repeat(cap - 60) }),
      overCap: JSON.stringify({ type: 'session.list', id: 10, pad: 'x'.repeat(cap) }),
      overHardCap: Buffer.alloc(LIMITS.hardMaxPayloadBytes + 1024, 0x78),
    },
  };
}, 60_000);

afterAll(async () => {
  dropAll();
  owner?.close();
  await hub?.stop();
}, 30_000);

/** Runs `switchboard ls --json` as the owner and times it. */
async function listWithCli() {
  const listed = await hub.cli(['ls', '--json'], 10_000);
  const sessions = listed.code === 0 ? (JSON.parse(listed.stdout) as SessionInfo[]) : [];
  return { ...listed, sessions: sessions.map((listedSession) => [listedSession.name, listedSession.status]) };
}

describe('a minute of hostile loopback traffic', () => {
  it(
    'leaves the hub up, its memory bounded, its session running and its owner able to list',
    async () => {
      // The CLI's own start (Node, its modules) takes about a second on a loaded 2-core machine: time it
      // idle, so what is asked of the hub below is its own answer.
      const idleList = await listWithCli();
      expect(idleList).toMatchObject({ code: 0, sessions: [['soak', 'running']] });
      const before = hub.rssKiB()!;
      const started = Date.now();
      let peak = before;
      const series: number[] = []; // every 5 s, for the log: growth that levels off is no leak
      const sampler = setInterval(() => {
        const now = hub.rssKiB() ?? 0;
        peak = Math.max(peak, now);
        if (series.length < (Date.now() - started) / 5_000) series.push(now);
      }, 1_000);
      try {
        await Promise.all(CLIENTS.map((each) => client(each, started + SOAK_MS)));
      } finally {
        clearInterval(sampler);
      }
      const soakMs = Date.now() - started;
      dropAll();
      await sleep(1_000); // the hub lets go of what the clients held
      expect(hub.exit, `the hub exited under attack:\n${hub.output().slice(-3000)}`).toBeUndefined();
      const after = hub.rssKiB()!;
      const mb = (kib: number) => Math.round(kib / 102.4) / 10;
      const summary = { soakMs, ...stats, refusals: Object.fromEntries(stats.refusals) };
      const rss = { beforeMB: mb(before), peakMB: mb(peak), afterMB: mb(after), seriesMB: series.map(mb) };
      console.log(`[soak] ${JSON.stringify({ ...summary, ...rss, idleListMs: idleList.ms })}`);

      expect(malformed).toEqual([]);
      expect(stats.steps).toBeGreaterThan(CLIENTS.length * 10); // the attack did happen
      expect(mb(after - before)).toBeLessThan(RSS_GROWTH_LIMIT_MB);

      // The session's pty answers: typed by the owner's connection, which stayed open all along.
      await owner.input(session.id, 'soak-check\r');
      await waitForScreen(owner, session.id, 'soak-check');

      // Someone on the owner's address is still guessing; the owner's right token gets through regardless
      // (issue 9: a valid credential is never rate-limited), on a fresh connection and with the CLI.
      for (let guess = 0; guess < LIMITS.authFailuresPerMinute + 2; guess++) await guessToken('127.0.0.1');
      const asked = Date.now();
      const fresh = await connectHub({ url: hub.url, token: hub.ownerToken });
      try {
        expect((await fresh.listSessions()).map((listed) => listed.name)).toEqual(['soak']);
      } finally {
        fresh.close();
      }
      const freshMs = Date.now() - asked;
      const listed = await listWithCli();
      console.log(
        `[soak] after: fresh owner connection and list ${freshMs} ms, switchboard ls ${listed.ms} ms`,
      );
      expect(freshMs).toBeLessThan(1_000);
      expect(listed, `switchboard ls: ${listed.stderr}`).toMatchObject({
        code: 0,
        stderr: '',
        sessions: [['soak', 'running']],
      });
      // Not a speed check (those live in bench/): a hub the attack left wedged would not answer within
      // seconds. A whole CLI process on the loaded 2-core CI machine took 0.5 to 2.1 s here after the
      // attack, against 0.14 to 0.25 s idle, so the bound is wide.
      expect(listed.ms).toBeLessThan(idleList.ms + 10_000);
    },
    SOAK_MS + 90_000,
  );
});
