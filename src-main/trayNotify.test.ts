// Tray counts, OS notifications and the quit question, fed hub messages (no Electron needed).
import { describe, expect, it } from 'vitest';
import type { HubMessage, SessionInfo, TaskInfo } from '../src-protocol/index.js';
import { Notifier, type NotificationSpec } from './notifier.js';
import { quitQuestion } from './quitGuard.js';
import { TrayModel } from './trayModel.js';

const session = (id: string, status: SessionInfo['status']): SessionInfo => ({
  id,
  name: `s-${id}`,
  kind: 'claude',
  cwd: '/repo',
  command: 'claude',
  args: [],
  status,
  pid: 1,
  cols: 80,
  rows: 24,
  createdAt: '',
  endedAt: null,
  exitCode: status === 'ended' ? 0 : null,
  signal: null,
  clients: 0,
  leaseHolder: null,
  worktree: null,
});
const task = (id: string, status: TaskInfo['status']): TaskInfo => ({
  id,
  parentId: null,
  fromSession: null,
  fromName: 'owner',
  toSession: 'b',
  toName: 's-b',
  title: `task ${id}`,
  instructions: 'x',
  status,
  result: status === 'done' ? { status: 'done', summary: 'it works' } : null,
  createdAt: '',
  updatedAt: '',
  deadlineAt: '',
});
const updated = (info: SessionInfo): HubMessage => ({
  type: 'session.event',
  kind: 'updated',
  session: info,
});

describe('TrayModel', () => {
  it('counts working and waiting sessions and tasks done since the last look', () => {
    const tray = new TrayModel();
    tray.apply({
      type: 'session.list.result',
      replyTo: 1,
      sessions: [session('a', 'idle'), session('b', 'working')],
    });
    tray.apply({ type: 'task.list.result', replyTo: 2, tasks: [task('old', 'done'), task('t1', 'running')] });
    expect(tray.counts).toEqual({ working: 1, waiting: 0, done: 0, live: 2, inbox: 0 });
    expect(tray.apply(updated(session('a', 'waiting')))).toBe(true);
    expect(tray.apply({ type: 'task.event', task: task('t1', 'done') })).toBe(true);
    expect(tray.apply({ type: 'task.event', task: task('t1', 'done') })).toBe(false);
    expect(tray.counts).toMatchObject({ working: 1, waiting: 1, done: 1 });
    expect(tray.title()).toBe('▶1 ⏸1 ✓1');
    expect(tray.tooltip()).toContain('1 done since you last looked');
    expect(
      tray
        .menu()
        .filter((item) => 'action' in item)
        .map((item) => 'action' in item && item.action),
    ).toEqual(['show', 'new-session', 'quit']);
    expect(tray.looked()).toBe(true);
    expect(tray.counts.done).toBe(0);
  });
});

describe('Notifier', () => {
  it('notifies once when a task finishes, and when a session starts waiting or ends', () => {
    const shown: NotificationSpec[] = [];
    const notifier = new Notifier((notification) => shown.push(notification));
    notifier.apply({ type: 'session.list.result', replyTo: 1, sessions: [session('b', 'working')] });
    notifier.apply({ type: 'task.event', task: task('t1', 'running') });
    notifier.apply({ type: 'task.event', task: task('t1', 'done') });
    notifier.apply({ type: 'task.event', task: task('t1', 'done') });
    notifier.apply(updated(session('b', 'waiting')));
    notifier.apply(updated(session('b', 'waiting')));
    notifier.apply(updated(session('b', 'ended')));
    expect(shown).toEqual([
      { title: 'Task done: task t1', body: 'it works', session: 'b' },
      { title: 's-b is waiting for you', body: 'It asks for a permission or an answer.', session: 'b' },
      { title: 's-b ended', body: 'Exit code 0.', session: 'b' },
    ]);
  });

  it('stays quiet about sessions the hub ends as it stops, and speaks again once it lists', () => {
    const shown: NotificationSpec[] = [];
    const notifier = new Notifier((notification) => shown.push(notification));
    notifier.apply({ type: 'session.list.result', replyTo: 1, sessions: [session('b', 'idle')] });
    notifier.apply({ type: 'connection.closing', reason: 'hub_stopping', message: 'The hub is stopping.' });
    notifier.apply(updated(session('b', 'ended')));
    expect(shown).toEqual([]);
    notifier.apply({ type: 'session.list.result', replyTo: 2, sessions: [session('b', 'idle')] });
    notifier.apply(updated(session('b', 'ended')));
    expect(shown.map((notification) => notification.title)).toEqual(['s-b ended']);
  });

  it('stays quiet about what was already so when it started', () => {
    const shown: NotificationSpec[] = [];
    const notifier = new Notifier((notification) => shown.push(notification));
    notifier.apply({ type: 'task.list.result', replyTo: 1, tasks: [task('t1', 'done')] });
    notifier.apply({ type: 'task.event', task: task('t1', 'done') });
    notifier.apply({ type: 'session.event', kind: 'added', session: session('c', 'waiting') });
    expect(shown).toEqual([]);
  });
});

describe('quitQuestion', () => {
  it('asks only while sessions are live', () => {
    expect(quitQuestion([session('a', 'ended')])).toBeUndefined();
    const question = quitQuestion([session('a', 'working'), session('b', 'ended')]);
    expect(question?.message).toBe('1 session is still running. Quit anyway?');
    expect(question?.detail).toContain('s-a');
  });
});
