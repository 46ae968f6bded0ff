// The router's access rules without processes (issue 9): messages go only to Claude sessions, and a
// worker's tools reach only the sessions it shares a task with.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError, type SessionStatus } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import { openDatabase, type HubDatabase } from '../store/database.js';
import { TaskRouter } from './router.js';
import type { Caller } from './routerPorts.js';
import { TaskStore } from './taskStore.js';

interface FakeSession {
  id: string;
  name: string;
  kind: 'claude' | 'command';
  isEnded: boolean;
  status: SessionStatus;
  spec: { cwd: string };
}

let stateDir: string;
let database: HubDatabase;
let sessions: Map<string, FakeSession>;
let workers: Set<string>;
let typed: Array<{ session: string; text: string; task: string | undefined }>;
let router: TaskRouter;

function add(name: string, kind: 'claude' | 'command' = 'claude', worker = false): Session {
  const session: FakeSession = {
    id: `${name}-id`,
    name,
    kind,
    isEnded: false,
    status: 'idle',
    spec: { cwd: '/' },
  };
  sessions.set(session.id, session);
  if (worker) workers.add(session.id);
  return session as unknown as Session;
}

const as = (session: Session | null): Caller => ({ session, name: session?.name ?? 'owner' });
const owner = as(null);

/** Resolves like the registry: an id or a name, among the sessions `among` accepts. */
function resolveSession(reference: string, among: (session: Session) => boolean = () => true): Session {
  const found = [...sessions.values()]
    .map((session) => session as unknown as Session)
    .find((session) => (session.id === reference || session.name === reference) && among(session));
  if (!found) throw new HubError('unknown_session', `No session "${reference}".`);
  return found;
}

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'switchboard-router-'));
  database = openDatabase(stateDir);
  sessions = new Map();
  workers = new Set();
  typed = [];
  let count = 0;
  router = new TaskRouter(
    {
      store: new TaskStore(database),
      resolveSession,
      findSession: (id) => sessions.get(id) as unknown as Session | undefined,
      startClaudeSession: () => Promise.resolve(add(`new-${++count}`)),
      startWorker: () => Promise.resolve(add(`worker-${++count}`, 'claude', true)),
      isWorker: (id) => workers.has(id),
      stopWorker: () => undefined,
      workSummary: () => Promise.resolve(undefined),
      enqueueInput: (session, text, task) => typed.push({ session, text, task }),
      dropInputForTask: () => undefined,
      moveInputForTask: () => false,
      willResume: () => false,
    },
    { notifyResults: true, unreportedGraceMs: 1000, deadlineMs: 60_000 },
  );
});

afterEach(() => {
  router.dispose();
  database.close();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('send_message', () => {
  it('refuses a shell (any non-Claude session) with not_allowed, and types nothing into it', () => {
    const claude = add('claude-1');
    add('bash-1', 'command');
    for (const caller of [as(claude), owner]) {
      expect(() => router.sendMessage(caller, 'bash-1', '; touch /tmp/x')).toThrow(
        expect.objectContaining({
          code: 'not_allowed',
          message: expect.stringContaining('messages go only to Claude sessions') as unknown,
        }),
      );
    }
    expect(typed).toEqual([]);
  });

  it('queues a message for a Claude session, as prompt input', () => {
    const claude = add('claude-1');
    add('claude-2');
    router.sendMessage(as(claude), 'claude-2', 'hello');
    expect(typed).toEqual([
      { session: 'claude-2-id', text: '[switchboard message from claude-1] hello', task: undefined },
    ]);
  });
});

describe("a worker's reach", () => {
  it('reaches the session that gave it its task and the workers it started, and no other', async () => {
    const lead = add('lead');
    const bystander = add('bystander');
    const spawned = await router.spawnWorker(as(lead), { instructions: 'work' });
    const worker = sessions.get(spawned.toSession) as unknown as Session;
    const child = await router.spawnWorker(as(worker), { instructions: 'sub-work' });

    router.sendMessage(as(worker), 'lead', 'progress');
    router.sendMessage(as(worker), child.toSession, 'more');
    expect(typed.map((input) => input.session)).toEqual(expect.arrayContaining(['lead-id', child.toSession]));
    const before = typed.length;
    for (const target of ['bystander', bystander.id]) {
      expect(() => router.sendMessage(as(worker), target, 'hi')).toThrow(
        expect.objectContaining({ code: 'not_allowed' }),
      );
      await expect(router.delegate(as(worker), { instructions: 'x', to: target })).rejects.toMatchObject({
        code: 'not_allowed',
        message: expect.stringContaining('shares a task with you') as unknown,
      });
    }
    expect(typed.length).toBe(before);
    // Its parent may still get a task from it (it is party to one with the worker).
    const back = await router.delegate(as(worker), { instructions: 'check this', to: 'lead' });
    expect(back.toSession).toBe('lead-id');
    // What list_sessions shows a worker: itself and its task partners only.
    const reaches = router.reaches(as(worker));
    expect(
      [...sessions.values()]
        .filter((session) => reaches(session as unknown as Session))
        .map((session) => session.name)
        .sort(),
    ).toEqual(['lead', sessions.get(child.toSession)!.name, worker.name].sort());
    // A session on the hub's machine reaches everyone.
    expect(router.reaches(as(lead))(bystander)).toBe(true);
  });
});
