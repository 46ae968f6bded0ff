// The lifecycle policy on fakes: who is resumed, what an end does, and in which order (issue 14).
import { describe, expect, it } from 'vitest';
import type { SessionInfo } from '../../src-protocol/index.js';
import { SessionLifecycle, type LifecyclePorts } from './lifecycle.js';
import type { SavedSession } from './savedSessions.js';
import type { Session } from './session.js';

interface FakeSession {
  id: string;
  kind: 'claude' | 'command';
  isEnded: boolean;
  restored: boolean;
  killedByUser: boolean;
  spec: { worker: null | object; worktree: null | object };
}

function setup() {
  const calls: string[] = [];
  const sessions = new Map<string, FakeSession>();
  const owned = new Set<string>();
  let closeTasks: () => void = () => undefined;
  const ports: LifecyclePorts = {
    sessions: {
      find: (id) => sessions.get(id) as unknown as Session | undefined,
      restore: (record: SavedSession) => {
        calls.push(`restore ${record.info.id}`);
        return Promise.resolve(undefined);
      },
    },
    resumer: {
      owned: ({ id }) => void (owned.add(id), calls.push(`owned ${id}`)),
      released: (id) => void (owned.delete(id), calls.push(`released ${id}`)),
      isOwned: (id) => owned.has(id),
      resumeAll: () => (calls.push('resumeAll'), Promise.resolve([])),
    },
    saved: {
      saveIfChanged: (session) => void calls.push(`save ${session.id}`),
      forget: (id) => void calls.push(`forget ${id}`),
      list: () => [{ info: { id: 'old' } } as SavedSession],
    },
    credentials: { revoke: (id) => void calls.push(`revoke ${id}`) },
    injector: {
      statusChanged: (session) => void calls.push(`status ${session.id}`),
      sessionEnded: (id) => void calls.push(`injector.ended ${id}`),
    },
    tasks: {
      sessionEnded: (id, reason) => {
        calls.push(`tasks.ended ${id} ${reason ?? '-'}`);
        return new Promise<void>((resolve) => (closeTasks = resolve));
      },
    },
    worktrees: { sessionEnded: (id) => (calls.push(`worktree.ended ${id}`), Promise.resolve()) },
    workers: {
      sessionRemoved: (id) => (calls.push(`container ${id}`), Promise.resolve()),
      endReason: (id) => (id === 'w' ? 'stopped by a cancel' : undefined),
      adoptOnStart: () => (calls.push('adopt'), Promise.resolve([])),
    },
  };
  const add = (id: string, overrides: Partial<FakeSession> = {}): FakeSession => {
    const session: FakeSession = {
      id,
      kind: 'claude',
      isEnded: false,
      restored: false,
      killedByUser: false,
      spec: { worker: null, worktree: null },
      ...overrides,
    };
    sessions.set(id, session);
    return session;
  };
  const info = (id: string) => ({ id, name: id, cwd: '/', cols: 80, rows: 24 }) as SessionInfo;
  return { lifecycle: new SessionLifecycle(ports), calls, add, info, owned, closeTasks: () => closeTasks() };
}

describe('SessionLifecycle', () => {
  it('owns a local Claude session for resuming when it is added, and saves it; not a command or a worker', () => {
    const { lifecycle, calls, add, info } = setup();
    add('c');
    add('sh', { kind: 'command' });
    add('w', { spec: { worker: {}, worktree: null } });
    for (const id of ['c', 'sh', 'w']) lifecycle.sessionChanged({ kind: 'added', info: info(id) });
    expect(calls.filter((call) => call.startsWith('owned'))).toEqual(['owned c']);
    expect(calls.filter((call) => call.startsWith('save'))).toEqual(['save c', 'save sh', 'save w']);
  });

  it('tells the prompt injector of status changes of a running session', () => {
    const { lifecycle, calls, add, info } = setup();
    add('c');
    lifecycle.sessionChanged({ kind: 'updated', info: info('c') });
    expect(calls).toEqual(['status c']);
  });

  it('closes the tasks of an ended session before its worktree may go (the result carries the diff)', async () => {
    const { lifecycle, calls, add, info, owned, closeTasks } = setup();
    owned.add('c');
    add('c', { isEnded: true, spec: { worker: null, worktree: {} } });
    lifecycle.sessionChanged({ kind: 'updated', info: info('c') });
    expect(calls).toEqual(['save c', 'revoke c', 'injector.ended c', 'released c', 'tasks.ended c -']);
    await Promise.resolve();
    expect(calls).not.toContain('worktree.ended c');
    closeTasks();
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls.at(-1)).toBe('worktree.ended c');
    expect(owned.has('c')).toBe(false);
  });

  it("fails an ended worker's tasks with the reason it ended", () => {
    const { lifecycle, calls, add, info } = setup();
    add('w', { isEnded: true, spec: { worker: {}, worktree: null } });
    lifecycle.sessionChanged({ kind: 'updated', info: info('w') });
    expect(calls).toContain('tasks.ended w stopped by a cancel');
  });

  it('while the hub stops: an owned Claude session keeps its tasks and worktree, to be resumed', () => {
    const { lifecycle, calls, add, info, owned } = setup();
    owned.add('c');
    add('c', { isEnded: true, spec: { worker: null, worktree: {} } });
    lifecycle.beginStop();
    lifecycle.sessionChanged({ kind: 'updated', info: info('c') });
    expect(calls).toEqual(['save c', 'revoke c', 'injector.ended c']);
    expect(owned.has('c')).toBe(true);
  });

  it('while the hub stops: a session its owner killed is not resumed, and its worktree may go; its tasks stay open', () => {
    const { lifecycle, calls, add, info, owned } = setup();
    owned.add('c');
    add('c', { isEnded: true, killedByUser: true, spec: { worker: null, worktree: {} } });
    lifecycle.beginStop();
    lifecycle.sessionChanged({ kind: 'updated', info: info('c') });
    expect(owned.has('c')).toBe(false);
    expect(calls).toContain('worktree.ended c');
    expect(calls.some((call) => call.startsWith('tasks.ended'))).toBe(false);
  });

  it('leaves a restored record of an earlier run alone: its end was dealt with then', () => {
    const { lifecycle, calls, add, info } = setup();
    add('old', { isEnded: true, restored: true, spec: { worker: null, worktree: {} } });
    lifecycle.sessionChanged({ kind: 'added', info: info('old') });
    lifecycle.sessionChanged({ kind: 'updated', info: info('old') });
    expect(calls).toEqual([]);
  });

  it('on removal: drops its container, its resume entry and its saved record', () => {
    const { lifecycle, calls, info } = setup();
    lifecycle.sessionChanged({ kind: 'removed', info: info('gone') });
    expect(calls).toEqual(['container gone', 'released gone', 'forget gone']);
  });

  it('brings back the last run in order: workers adopted, Claude sessions resumed, the rest listed as ended', async () => {
    const { lifecycle, calls } = setup();
    await lifecycle.resumeLastRun();
    expect(calls).toEqual(['adopt', 'resumeAll', 'restore old']);
  });

  it('lists nothing more of the last run once the hub is stopping', async () => {
    const { lifecycle, calls } = setup();
    lifecycle.beginStop();
    await lifecycle.resumeLastRun();
    expect(calls).toEqual(['adopt', 'resumeAll']);
  });
});
