// A task's life through the router, on fake sessions and a real task store: how it reaches its target
// (first prompt or pasted input), the statuses hooks move it through, how it closes (report, unreported
// stop, end, deadline, cancel), and the result brought back. No process, no socket (issue 14).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HubError, type TaskInfo } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import { openDatabase, type HubDatabase } from '../store/database.js';
import { TaskRouter } from './router.js';
import type { Caller, RouterSettings } from './routerPorts.js';
import { TaskStore } from './taskStore.js';

interface FakeSession {
  id: string;
  name: string;
  kind: 'claude';
  isEnded: boolean;
  spec: { cwd: string };
}

let dir: string;
let database: HubDatabase;
let sessions: Map<string, FakeSession>;
let workers: Set<string>;
let typed: Array<{ session: string; text: string; task: string | undefined }>;
let stopped: Array<[string, string]>;
let changes: Array<[string, TaskInfo['status']]>;
let clock: number;
let router: TaskRouter;

function add(name: string, worker = false): Session {
  const session: FakeSession = { id: `${name}-id`, name, kind: 'claude', isEnded: false, spec: { cwd: '/' } };
  sessions.set(session.id, session);
  if (worker) workers.add(session.id);
  return session as unknown as Session;
}

const as = (session: Session | null): Caller => ({ session, name: session?.name ?? 'owner' });

function makeRouter(settings: Partial<RouterSettings> = {}): TaskRouter {
  let count = 0;
  const made = new TaskRouter(
    {
      store: new TaskStore(database),
      resolveSession: (reference) => {
        const found = [...sessions.values()].find((s) => s.id === reference || s.name === reference);
        if (!found) throw new HubError('unknown_session', `No session "${reference}".`);
        return found as unknown as Session;
      },
      findSession: (id) => sessions.get(id) as unknown as Session | undefined,
      startClaudeSession: () => Promise.resolve(add(`new-${++count}`)),
      startWorker: () => Promise.resolve(add(`worker-${++count}`, true)),
      isWorker: (id) => workers.has(id),
      stopWorker: (id, reason) => void stopped.push([id, reason]),
      workSummary: () => Promise.resolve(undefined),
      enqueueInput: (session, text, task) => void typed.push({ session, text, task }),
      dropInputForTask: () => undefined,
      moveInputForTask: () => false,
      willResume: () => false,
    },
    { notifyResults: true, unreportedGraceMs: 1000, deadlineMs: 60_000, ...settings },
    () => clock,
  );
  made.onDidChangeTask((task) => void changes.push([task.id, task.status]));
  return made;
}

beforeEach(() => {
  vi.useFakeTimers();
  dir = mkdtempSync(join(tmpdir(), 'switchboard-router-flow-'));
  database = openDatabase(dir);
  sessions = new Map();
  workers = new Set();
  typed = [];
  stopped = [];
  changes = [];
  clock = Date.parse('2030-01-01T00:00:00.000Z');
  router = makeRouter();
});

afterEach(() => {
  router.dispose();
  vi.useRealTimers();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('how a task reaches a session', () => {
  it('pasted input for an existing session, then delivered, running and done with its result typed back', async () => {
    const lead = add('lead');
    add('helper');
    const task = await router.delegate(as(lead), { instructions: 'check the tests', to: 'helper' });
    expect(typed).toEqual([
      { session: 'helper-id', text: expect.stringContaining('check the tests') as unknown, task: task.id },
    ]);
    router.delivered(task.id);
    router.promptSubmitted('helper-id');
    const done = await router.report(as(sessions.get('helper-id') as unknown as Session), {
      status: 'done',
      summary: 'all green',
    });
    expect(done).toMatchObject({ status: 'done', result: { status: 'done', summary: 'all green' } });
    expect(changes.map(([, status]) => status)).toEqual(['queued', 'delivered', 'running', 'done']);
    // notifyResults: the delegator finds the result at its prompt.
    expect(typed.at(-1)).toMatchObject({
      session: 'lead-id',
      text: expect.stringContaining('all green') as unknown,
    });
  });

  it('the first prompt of a new session started for it (cwd), never a command line', async () => {
    const task = await router.delegate(as(null), { instructions: 'start here', cwd: '/tmp' });
    expect(task.toSession).toBe('new-1-id');
    expect(typed).toEqual([
      { session: 'new-1-id', text: expect.stringContaining('start here') as unknown, task: task.id },
    ]);
  });

  it('refuses "to" with "cwd", and "to" with a worktree, before anything starts', async () => {
    add('helper');
    await expect(
      router.delegate(as(null), { instructions: 'x', to: 'helper', cwd: '/' }),
    ).rejects.toMatchObject({
      code: 'invalid_message',
    });
    await expect(
      router.delegate(as(null), { instructions: 'x', to: 'helper', worktree: true }),
    ).rejects.toMatchObject({
      code: 'invalid_message',
    });
    expect(typed).toEqual([]);
  });
});

describe('how a task closes', () => {
  it("issue 14: a task's deadline is set by the hub's clock, not the machine's", async () => {
    add('helper');
    const task = await router.delegate(as(null), { instructions: 'x', to: 'helper' });
    expect(task.deadlineAt).toBe('2030-01-01T00:01:00.000Z');
  });

  it('times out at its deadline, and its open children are cancelled first', async () => {
    router.dispose();
    router = makeRouter({ deadlineMs: 5_000 });
    clock = Date.now();
    const lead = add('lead');
    add('helper');
    const parent = await router.delegate(as(null), { instructions: 'parent', to: 'lead' });
    const child = await router.delegate(as(lead), { instructions: 'child', to: 'helper' });
    expect(child.parentId).toBe(parent.id);
    await vi.advanceTimersByTimeAsync(5_001);
    expect(changes.filter(([, status]) => status !== 'queued')).toEqual([
      [child.id, 'cancelled'],
      [parent.id, 'timed_out'],
    ]);
  });

  it('closes as unreported with the last message once the grace after a stop runs out', async () => {
    add('helper');
    const task = await router.delegate(as(null), { instructions: 'x', to: 'helper' });
    router.delivered(task.id);
    router.stopped('helper-id', 'I think it is done');
    await vi.advanceTimersByTimeAsync(999);
    expect(changes.at(-1)).toEqual([task.id, 'delivered']);
    await vi.advanceTimersByTimeAsync(1);
    const closed = await router.get(as(null), task.id);
    expect(closed).toMatchObject({ status: 'unreported', result: { summary: 'I think it is done' } });
  });

  it('a new turn before the grace runs out keeps the task open', async () => {
    add('helper');
    const task = await router.delegate(as(null), { instructions: 'x', to: 'helper' });
    router.delivered(task.id);
    router.stopped('helper-id', 'thinking');
    router.promptSubmitted('helper-id');
    await vi.advanceTimersByTimeAsync(5_000);
    expect((await router.get(as(null), task.id)).status).toBe('running');
  });

  it("fails an ended session's tasks with the reason it ended, and its last message as details", async () => {
    add('helper');
    const task = await router.delegate(as(null), { instructions: 'x', to: 'helper' });
    router.stopped('helper-id', 'halfway');
    await router.sessionEnded('helper-id', 'Worker was stopped from outside.');
    expect(await router.get(as(null), task.id)).toMatchObject({
      status: 'failed',
      result: { summary: 'Worker was stopped from outside.', details: 'Its last message: halfway' },
    });
  });

  it('a cancel by its delegator cancels the task tree and stops a worker that runs it', async () => {
    const lead = add('lead');
    const spawned = await router.spawnWorker(as(lead), { instructions: 'work' });
    const cancelled = await router.cancel(as(lead), spawned.id);
    expect(cancelled.status).toBe('cancelled');
    expect(stopped).toEqual([[spawned.toSession, `Task ${spawned.id} was cancelled by lead.`]]);
  });

  it('refuses a cancel by a session that did not delegate the task', async () => {
    const lead = add('lead');
    const other = add('other');
    add('helper');
    const task = await router.delegate(as(lead), { instructions: 'x', to: 'helper' });
    // Thrown at once (cancel checks before it starts anything asynchronous).
    expect(() => router.cancel(as(other), task.id)).toThrow(expect.objectContaining({ code: 'not_allowed' }));
    expect(changes.at(-1)).toEqual([task.id, 'queued']);
  });

  it('a wait returns as soon as the task closes', async () => {
    add('helper');
    const waiting = router.delegate(as(null), { instructions: 'x', to: 'helper', waitSeconds: 60 });
    await vi.advanceTimersByTimeAsync(0);
    const [taskId] = changes[0]!;
    await router.report(as(sessions.get('helper-id') as unknown as Session), {
      status: 'blocked',
      summary: 'need a key',
      taskId,
    });
    await expect(waiting).resolves.toMatchObject({ status: 'blocked' });
  });
});
