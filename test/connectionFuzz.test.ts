// Ring 2 property fuzz (issue 9, hostile input never takes the hub down): a real hub context's Connection, with
// real ptys behind it, fed arbitrary frames unauthenticated and as observer, driver and owner.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClientMessageSchema, type RequestId } from '../src-protocol/index.js';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import { Connection } from '../src-hub/net/connection.js';
import type { Endpoint, HubContext } from '../src-hub/net/context.js';
import type { HttpRouteDeps } from '../src-hub/net/httpRoutes.js';
import type { StreamFrame } from '../src-hub/attach/subscription.js';
import { fixture, waitUntil } from './helpers.js';
import {
  fuzzRuns,
  hostileFrame,
  malformedHubFrame,
  NOWHERE,
  safeJson,
  specialFrames,
  type Targets,
} from './hostileFrames.js';

// The Hub does not hand out its HubContext; createHub gives it to the HTTP routes, so the fuzz takes the
// real one there (no server needed: command sessions start without one).
const captured = vi.hoisted(() => ({ contexts: [] as unknown[] }));
vi.mock('../src-hub/net/httpRoutes.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../src-hub/net/httpRoutes.js')>();
  return {
    ...actual,
    createHttpRoutes: (deps: HttpRouteDeps) => {
      captured.contexts.push(deps.context);
      return actual.createHttpRoutes(deps);
    },
  };
});

/** The far end of a connection as the fuzz sees it: what the hub sent, and whether it closed. */
class FakeEndpoint implements Endpoint {
  readonly frames: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  constructor(readonly remoteAddress: string) {}
  send(frame: string): void {
    if (!this.closedWith) this.frames.push(frame); // a closing WebSocket drops what is sent
  }
  sendStream(frame: StreamFrame): void {
    this.send(frame.json);
  }
  bufferedBytes(): number {
    return 0;
  }
  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
  }
}

type Role = 'none' | 'observer' | 'driver' | 'owner';

interface FuzzHub {
  hub: Hub;
  context: HubContext;
  logger: ReturnType<typeof memoryLogger>;
  stateDir: string;
  tokens: Record<Exclude<Role, 'none'>, string[]>;
  targets: Targets;
  /** Starts the session the frames aim at again (a bounded number of times) when an owner's frames ended it. */
  revive(): Promise<void>;
}

const TARGET_NAME = 'target';
const startSession = async (hub: Hub, name: string) => {
  const session = await hub.registry.create({
    name,
    command: process.execPath,
    args: [fixture('sturdy-echo.mjs')],
    cwd: tmpdir(),
    cols: 80,
    rows: 24,
  });
  await waitUntil(() => session.mirror.screen().lines.some((line) => line.includes('ready>')), 10_000, name);
  return session;
};

async function startFuzzHub(): Promise<FuzzHub> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-fuzz-'));
  const logger = memoryLogger();
  const hub = createHub({ stateDir, logger });
  const context = captured.contexts.at(-1) as HubContext;
  // An owner's fuzzed `lan.set {on: true}` would open a listener on this machine's network address: the
  // fuzz hub has no LAN control (the handler then refuses), so the tests stay on loopback (issue 10).
  delete context.lan;
  let target = await startSession(hub, TARGET_NAME);
  const other = await startSession(hub, 'other');
  const { auth } = context;
  const tokens = {
    owner: [hub.ownerToken],
    observer: [
      auth.createInvite('observer', 3600).token,
      auth.createInvite('observer', 3600, target.id).token,
    ],
    driver: [auth.createInvite('driver', 3600).token, auth.createInvite('driver', 3600, target.id).token],
  };
  let revivals = 0;
  return {
    hub,
    context,
    logger,
    stateDir,
    tokens,
    // Real names, ids and an id prefix; guessed tokens only (a real one is the role's own first frame).
    targets: {
      sessions: [TARGET_NAME, target.id, target.id.slice(0, 4), 'other', other.id, 'no-such-session'],
      clientIds: ['c-0000000000'],
      tokens: ['sbo_guess', 'sbi_guess', 'sbt_guess'],
      tasks: ['no-such-task'],
    },
    async revive() {
      if (!target.isEnded || revivals >= 20) return;
      revivals++;
      if (hub.registry.find(target.id)) hub.registry.remove(target.id); // unless the owner removed it
      target = await startSession(hub, TARGET_NAME);
    },
  };
}

/** What a case must not change when its client is unauthenticated or an observer. */
function stateOf(fuzz: FuzzHub) {
  return {
    sessions: fuzz.hub.registry.list().map((session) => ({
      info: session.info(),
      offset: session.offset,
      screen: session.mirror.screen().lines,
      lease: session.lease.holder ?? null,
    })),
    tasks: fuzz.hub.router.list({ session: null, name: 'owner' }).length,
  };
}

/**
 * An owner's frames may start things: sessions and tasks go to a directory that does not exist (never this
 * checkout), and waits are cut to zero so each case stays short. Everything else goes through unchanged.
 */
function tameForOwner(frame: string): string {
  const value = safeJson(frame);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return frame;
  const message = value as Record<string, unknown>;
  if (message.type !== 'session.create' && message.type !== 'task.delegate' && message.type !== 'task.get')
    return frame;
  if (message.type === 'session.create' || 'cwd' in message || !('to' in message)) message.cwd = NOWHERE;
  if (typeof message.waitSeconds === 'number') message.waitSeconds = 0;
  if (message.type === 'task.get') delete message.cwd;
  return JSON.stringify(message);
}

interface CaseInput {
  frames: string[];
  /** All at once, as a WebSocket delivers them (the server never awaits a frame), or one by one. */
  together: boolean;
  token: number;
}

let caseNumber = 0;

/** Feeds one case to a fresh Connection; returns what went wrong (nothing, when the hub held). */
async function runCase(fuzz: FuzzHub, role: Role, input: CaseInput): Promise<string[]> {
  const { context } = fuzz;
  // A fresh address per case: failed guesses in one case must not rate-limit the next. A loopback one:
  // the plain listener admits invites only from this machine (issue 10).
  const n = ++caseNumber;
  const endpoint = new FakeEndpoint(`127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
  const connection = new Connection(endpoint, context);
  context.connections.add(connection);
  const problems: string[] = [];
  const owed: RequestId[] = []; // requests that must get an answer
  const deliver = async (frame: string) => {
    const open = endpoint.closedWith === undefined;
    if (open && frame.length <= context.limits.maxFrameChars) {
      const message = ClientMessageSchema.safeParse(safeJson(frame));
      if (message.success && 'id' in message.data && message.data.id !== undefined)
        owed.push(message.data.id);
    }
    try {
      await connection.receive(frame);
    } catch (error) {
      problems.push(`receive() threw ${String(error)} on ${frame.slice(0, 200)}`);
    }
  };
  try {
    if (role !== 'none') {
      const token = fuzz.tokens[role][input.token % fuzz.tokens[role].length]!;
      await connection.receive(JSON.stringify({ type: 'auth', id: 'fuzz-auth', token, client: 'fuzz' }));
      if (connection.principal?.role !== role) return [`auth as ${role} failed: ${endpoint.frames.join()}`];
    }
    const frames = role === 'owner' ? input.frames.map(tameForOwner) : input.frames;
    if (input.together) await Promise.all(frames.map(deliver));
    else for (const frame of frames) await deliver(frame);
    const replies = endpoint.frames.map((frame) => safeJson(frame) as Record<string, unknown> | undefined);
    for (const frame of endpoint.frames) {
      const wrong = malformedHubFrame(frame);
      if (wrong) problems.push(wrong);
    }
    for (const reply of replies) {
      if (reply?.type === 'error' && reply.code === 'internal')
        problems.push(`internal error: ${JSON.stringify(reply)}`);
      if (role === 'none' && reply?.type !== 'error')
        problems.push(`unauthenticated got ${JSON.stringify(reply)}`);
    }
    for (const id of owed) {
      if (!replies.some((reply) => reply?.replyTo === id))
        problems.push(`request ${JSON.stringify(id)} unanswered`);
    }
  } finally {
    connection.dispose();
  }
  return problems;
}

const caseInput = (targets: Targets) =>
  fc.record({
    frames: fc.array(hostileFrame(targets, { specials: specialFrames() }), { minLength: 1, maxLength: 8 }),
    together: fc.boolean(),
    token: fc.nat({ max: 1 }),
  });

describe('a Connection under hostile frames (real hub context, real ptys)', { timeout: 60_000 }, () => {
  let fuzz: FuzzHub;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  /** Connection.fail logs a bug (anything but a HubError) before it answers `internal`. */
  const bugs = () => fuzz.logger.events.filter((event) => event.event === 'connection.bug');

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    fuzz = await startFuzzHub();
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await fuzz?.hub.close();
    if (fuzz) rmSync(fuzz.stateDir, { recursive: true, force: true });
  });

  const watchSessions = () =>
    fuzz.hub.registry
      .list()
      .flatMap((session) => [
        vi.spyOn(session, 'write'),
        vi.spyOn(session, 'resize'),
        vi.spyOn(session, 'kill'),
      ]);

  for (const [role, numRuns] of [
    ['none', 1_000],
    ['observer', 1_200],
  ] as const) {
    it(`${role === 'none' ? 'unauthenticated' : 'as an observer'}: well-formed coded replies, nothing changes`, async () => {
      const before = stateOf(fuzz);
      const spies = watchSessions();
      await fc.assert(
        fc.asyncProperty(caseInput(fuzz.targets), async (input) => {
          expect(await runCase(fuzz, role, input)).toEqual([]);
        }),
        fuzzRuns(numRuns),
      );
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
      vi.restoreAllMocks();
      expect(stateOf(fuzz)).toEqual(before);
      expect(bugs()).toEqual([]);
      expect(unhandled).toEqual([]);
    });
  }

  it('as a driver: well-formed coded replies, no session started, killed or removed', async () => {
    const sessions = fuzz.hub.registry.list().map((session) => session.id);
    await fc.assert(
      fc.asyncProperty(caseInput(fuzz.targets), async (input) => {
        expect(await runCase(fuzz, 'driver', input)).toEqual([]);
      }),
      fuzzRuns(1_000),
    );
    expect(fuzz.hub.registry.list().map((session) => session.id)).toEqual(sessions);
    expect(fuzz.hub.registry.list().every((session) => !session.isEnded)).toBe(true);
    expect(bugs()).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('as the owner: well-formed coded replies, and the hub still answers afterwards', async () => {
    await fc.assert(
      fc.asyncProperty(caseInput(fuzz.targets), async (input) => {
        await fuzz.revive();
        expect(await runCase(fuzz, 'owner', input)).toEqual([]);
      }),
      fuzzRuns(1_000),
    );
    expect(bugs()).toEqual([]);
    expect(unhandled).toEqual([]);
    const after = await runCase(fuzz, 'owner', {
      frames: [JSON.stringify({ type: 'session.list', id: 'after' })],
      together: false,
      token: 0,
    });
    expect(after).toEqual([]);
  });
});
