// The renderer's stores are projections of hub events: the reducer, its notices, the input gate, grouping.
import { describe, expect, it } from 'vitest';
import type { HubMessage, TaskInfo } from '../../src-protocol/index.js';
import { applyHubEvent, initialHubState, inputGate, sessionsByDirectory, type HubState } from './hubState.js';
import { sessionInfo } from './testSessions.js';

const session = sessionInfo;

const task = (id: string, patch: Partial<TaskInfo> = {}): TaskInfo => ({
  id,
  parentId: null,
  fromSession: 'a',
  fromName: 'a',
  toSession: 'b',
  toName: 'b',
  title: 'fix it',
  instructions: 'Fix the flaky test',
  status: 'queued',
  result: null,
  createdAt: '2026-11-26T04:00:00.000Z',
  updatedAt: '2026-11-26T04:00:00.000Z',
  deadlineAt: '2026-11-26T05:00:00.000Z',
  ...patch,
});

const hintOf = (gate: ReturnType<typeof inputGate>) => (gate.allowed ? 'allowed' : gate.hint);

const run = (events: HubMessage[], state: HubState = initialHubState) =>
  events.reduce((current, event) => applyHubEvent(current, event, 1000), state);

describe('applyHubEvent', () => {
  it('replaces sessions from a list and follows added, updated and removed events', () => {
    const state = run([
      { type: 'session.list.result', replyTo: 1, sessions: [session('a'), session('b')] },
      { type: 'session.event', kind: 'added', session: session('c') },
      { type: 'session.event', kind: 'updated', session: session('a', { status: 'working' }) },
      { type: 'session.event', kind: 'removed', session: session('b') },
    ]);
    expect(Object.keys(state.sessions).sort()).toEqual(['a', 'c']);
    expect(state.sessions.a!.status).toBe('working');
    expect(state.notices).toEqual([]);
  });

  it("keeps a worktree's last read uncommitted count when an event carries none, until the worktree changes", () => {
    const tree = (path: string, dirty: number | null) => ({ repo: '/repo', path, branch: 'b', dirty });
    const listed = run([
      { type: 'session.list.result', replyTo: 1, sessions: [session('a', { worktree: tree('/wt/a', 3) })] },
      {
        type: 'session.event',
        kind: 'updated',
        session: session('a', { status: 'working', worktree: tree('/wt/a', null) }),
      },
    ]);
    expect(listed.sessions.a!.worktree?.dirty).toBe(3);
    expect(listed.sessions.a!.status).toBe('working');
    const relisted = run(
      [{ type: 'session.list.result', replyTo: 2, sessions: [session('a', { worktree: tree('/wt/a', 0) })] }],
      listed,
    );
    expect(relisted.sessions.a!.worktree?.dirty).toBe(0);
    const moved = run(
      [
        {
          type: 'session.event',
          kind: 'updated',
          session: session('a', { worktree: tree('/wt/other', null) }),
        },
      ],
      listed,
    );
    expect(moved.sessions.a!.worktree?.dirty).toBeNull();
  });

  it('returns the same state for messages it does not project (terminal bytes never change stores)', () => {
    const before = run([{ type: 'session.list.result', replyTo: 1, sessions: [session('a')] }]);
    const after = applyHubEvent(before, { type: 'pty.output', session: 'a', offset: 0, data: 'x' }, 1);
    expect(after).toBe(before);
  });

  it('records the task status history and raises one notice when a task finishes', () => {
    const state = run([
      { type: 'task.event', task: task('t1') },
      { type: 'task.event', task: task('t1', { status: 'running', updatedAt: '2026-11-26T04:01:00.000Z' }) },
      {
        type: 'task.event',
        task: task('t1', {
          status: 'done',
          result: { status: 'done', summary: 'all green' },
          updatedAt: '2026-11-26T04:02:00.000Z',
        }),
      },
      {
        type: 'task.event',
        task: task('t1', { status: 'done', result: { status: 'done', summary: 'all green' } }),
      },
    ]);
    expect(state.taskHistory.t1!.map((entry) => entry.status)).toEqual(['queued', 'running', 'done']);
    expect(state.notices).toHaveLength(1);
    expect(state.notices[0]).toMatchObject({
      kind: 'task',
      title: 'Task done: fix it',
      body: 'all green',
      task: 't1',
    });
    expect(state.unreadNotices).toBe(1);
  });

  it('does not announce tasks that were already final when listed', () => {
    const state = run([{ type: 'task.list.result', replyTo: 1, tasks: [task('t1', { status: 'failed' })] }]);
    expect(state.notices).toEqual([]);
  });

  it('announces a permission wait and a session that ended, but not the first sight of either', () => {
    const state = run([
      { type: 'session.list.result', replyTo: 1, sessions: [session('a', { status: 'waiting' })] },
      { type: 'session.event', kind: 'updated', session: session('a', { status: 'working' }) },
      { type: 'session.event', kind: 'updated', session: session('a', { status: 'waiting' }) },
      { type: 'session.event', kind: 'updated', session: session('a', { status: 'ended', exitCode: 0 }) },
    ]);
    expect(state.notices.map((notice) => notice.kind)).toEqual(['ended', 'permission']);
    expect(state.notices[0]!.body).toContain('exit code 0');
    expect(applyHubEvent(state, { type: 'local.noticesRead' }, 1).unreadNotices).toBe(0);
  });

  it('tracks lease holder, pending requests, presence and the attachment role', () => {
    const state = run([
      { type: 'auth.ok', replyTo: 1, clientId: 'me', role: 'driver', hubVersion: '0' },
      { type: 'session.list.result', replyTo: 2, sessions: [session('a')] },
      { type: 'pty.snapshot', session: 'a', role: 'driver', offset: 0, cols: 80, rows: 24, data: '' },
      { type: 'lease.changed', session: 'a', holder: 'other', pending: ['me'], reason: 'requested' },
      {
        type: 'session.presence',
        session: 'a',
        clients: [
          { clientId: 'other', role: 'owner', client: 'cli' },
          { clientId: 'me', role: 'driver', client: 'web' },
        ],
      },
    ]);
    expect(state.leases.a).toEqual({ holder: 'other', pending: ['me'] });
    expect(state.sessions.a!.leaseHolder).toBe('other');
    expect(state.presence.a).toHaveLength(2);
    expect(state.attachments.a).toEqual({ role: 'driver', exited: false });
    expect(hintOf(inputGate(state, 'a'))).toContain('Request control');
    const granted = applyHubEvent(
      state,
      { type: 'lease.changed', session: 'a', holder: 'me', pending: [], reason: 'granted' },
      1,
    );
    expect(inputGate(granted, 'a')).toEqual({ allowed: true });
  });

  it('while the hub is unreachable, typing gets that hint (not "Not attached yet."); logging in again clears it', () => {
    const attached = run([
      { type: 'auth.ok', replyTo: 1, clientId: 'me', role: 'owner', hubVersion: '0' },
      { type: 'pty.snapshot', session: 'a', role: 'owner', offset: 0, cols: 80, rows: 24, data: '' },
    ]);
    expect(inputGate(attached, 'a')).toEqual({ allowed: true });
    const down = applyHubEvent(attached, { type: 'local.disconnected' }, 1);
    expect(down.offline).toBe(true);
    expect(hintOf(inputGate(down, 'a'))).toBe(
      'The hub is unreachable: keystrokes are not sent until it is back.',
    );
    const back = run(
      [{ type: 'auth.ok', replyTo: 2, clientId: 'me2', role: 'owner', hubVersion: '0' }],
      down,
    );
    expect(back.offline).toBe(false);
    expect(hintOf(inputGate(back, 'a'))).toBe('Not attached yet.');
  });

  it('gates observers with a hint, and an exited session for everyone', () => {
    const observing = run([
      { type: 'pty.snapshot', session: 'a', role: 'observer', offset: 0, cols: 80, rows: 24, data: '' },
    ]);
    expect(hintOf(inputGate(observing, 'a'))).toContain('observing');
    const owner = run([
      { type: 'pty.snapshot', session: 'a', role: 'owner', offset: 0, cols: 80, rows: 24, data: '' },
    ]);
    expect(inputGate(owner, 'a')).toEqual({ allowed: true });
    const exited = applyHubEvent(owner, { type: 'pty.exit', session: 'a', exitCode: 0, signal: null }, 1);
    expect(inputGate(exited, 'a').allowed).toBe(false);
    expect(applyHubEvent(exited, { type: 'local.detached', session: 'a' }, 1).attachments).toEqual({});
  });
});

describe('invitees (issue 10)', () => {
  const request = (id: string) => ({
    id,
    invite: 'ab12cd34',
    name: 'Ada',
    role: 'driver' as const,
    address: '192.0.2.2',
    expiresAt: '2026-11-26T04:02:00.000Z',
  });

  it('keeps joins waiting for approval until they are settled', () => {
    const waiting = run([
      { type: 'join.event', kind: 'pending', request: request('j-1') },
      { type: 'join.event', kind: 'pending', request: request('j-2') },
    ]);
    expect(waiting.joinRequests.map((entry) => entry.id)).toEqual(['j-1', 'j-2']);
    const settled = run([{ type: 'join.event', kind: 'expired', request: request('j-1') }], waiting);
    expect(settled.joinRequests.map((entry) => entry.id)).toEqual(['j-2']);
  });

  it('tells an observer invitee its invite is for watching, and names the lease holder', () => {
    const observer = run([
      { type: 'auth.ok', replyTo: 1, clientId: 'c-me', role: 'observer', hubVersion: '0.1.0' },
      {
        type: 'pty.snapshot',
        replyTo: 2,
        session: 'a',
        role: 'observer',
        offset: 0,
        cols: 80,
        rows: 24,
        data: '',
      },
    ]);
    expect(hintOf(inputGate(observer, 'a'))).toContain('This invite is for watching');
    const driver = run([
      { type: 'auth.ok', replyTo: 1, clientId: 'c-me', role: 'driver', hubVersion: '0.1.0' },
      {
        type: 'pty.snapshot',
        replyTo: 2,
        session: 'a',
        role: 'driver',
        offset: 0,
        cols: 80,
        rows: 24,
        data: '',
      },
      {
        type: 'session.presence',
        session: 'a',
        clients: [{ clientId: 'c-bob', role: 'driver', client: 'cli', name: 'Bob' }],
      },
      {
        type: 'lease.changed',
        session: 'a',
        holder: 'c-bob',
        pending: [],
        reason: 'auto',
        holderName: 'Bob',
      },
    ]);
    expect(hintOf(inputGate(driver, 'a'))).toContain('Bob holds the input lease');
  });
});

describe('sessionsByDirectory', () => {
  it('groups by working directory, sorted', () => {
    const groups = sessionsByDirectory({
      b: session('b', { cwd: '/z' }),
      a: session('a', { cwd: '/z' }),
      c: session('c', { cwd: '/a' }),
    });
    expect(groups.map(([cwd, members]) => [cwd, members.map((member) => member.name)])).toEqual([
      ['/a', ['c']],
      ['/z', ['a', 'b']],
    ]);
  });

  it('puts a session running in a worktree under its repository, not under the worktrees folder', () => {
    const groups = sessionsByDirectory({
      a: session('a', { cwd: '/src/app' }),
      w: session('w', {
        cwd: '/home/.switchboard/worktrees/app-1f2e/switchboard-w',
        worktree: {
          repo: '/src/app',
          path: '/home/.switchboard/worktrees/app-1f2e/switchboard-w',
          branch: 'switchboard/w',
          dirty: 0,
        },
      }),
    });
    expect(groups.map(([cwd, members]) => [cwd, members.map((member) => member.name)])).toEqual([
      ['/src/app', ['a', 'w']],
    ]);
  });
});
