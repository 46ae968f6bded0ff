// The desktop's inbox: the tray's count and menu, and one OS notification per new item or per burst
// (issue 11), on injected fakes (no Electron, no real timers).
import { describe, expect, it } from 'vitest';
import type { HubMessage, InboxItem, SessionInfo } from '../src-protocol/index.js';
import { inboxItem } from '../src-renderer/inbox/testItems.js';
import { GROUP_WINDOW_MS, InboxNotifier, type InboxNotification } from './inboxNotifier.js';
import { Notifier, type NotificationSpec } from './notifier.js';
import { TrayModel } from './trayModel.js';
import { sessionInfo } from '../src-renderer/state/testSessions.js';

const added = (item: InboxItem): HubMessage => ({ type: 'inbox.changed', kind: 'added', item });
const removed = (item: InboxItem): HubMessage => ({
  type: 'inbox.changed',
  kind: 'removed',
  item,
  reason: 'answered',
});
const listed = (...items: InboxItem[]): HubMessage => ({ type: 'inbox.items', replyTo: 1, items });

/** A notifier on a fake clock: `advance(ms)` runs the timers that came due. */
function fakeNotifier() {
  const shown: InboxNotification[] = [];
  let now = 0;
  let timers: Array<{ at: number; run: () => void; id: number }> = [];
  let nextId = 1;
  const notifier = new InboxNotifier({
    show: (notification) => shown.push(notification),
    setTimer: (run, ms) => {
      const timer = { at: now + ms, run, id: nextId++ };
      timers.push(timer);
      return timer.id;
    },
    clearTimer: (id) => {
      timers = timers.filter((timer) => timer.id !== id);
    },
  });
  const advance = (ms: number) => {
    now += ms;
    for (const timer of timers.filter((candidate) => candidate.at <= now)) {
      timers = timers.filter((candidate) => candidate !== timer);
      timer.run();
    }
  };
  return { notifier, shown, advance, pending: () => timers.length };
}

describe('InboxNotifier', () => {
  it('notifies once per new item, naming its session and what it asks', () => {
    const { notifier, shown, advance } = fakeNotifier();
    notifier.apply(listed());
    notifier.apply(added(inboxItem('in-1')));
    expect(shown).toEqual([]); // gathered for the window first
    advance(GROUP_WINDOW_MS);
    notifier.apply(added(inboxItem('in-1'))); // the same item again: no second pop-up
    notifier.apply(
      added(
        inboxItem('in-2', { kind: 'review', sessionName: 'tester', session: 's2', title: 'Task done: fix' }),
      ),
    );
    advance(GROUP_WINDOW_MS);
    expect(shown).toEqual([
      { title: 'lead asks for permission', body: 'Bash: touch done.txt', session: 's1', items: ['in-1'] },
      { title: 'tester finished work to review', body: 'Task done: fix', session: 's2', items: ['in-2'] },
    ]);
  });

  it('groups a burst into one notification whose click opens the inbox', () => {
    const { notifier, shown, advance } = fakeNotifier();
    const names = ['lead', 'w1', 'w2', 'w3', 'w1'];
    names.forEach((name, index) => {
      notifier.apply(added(inboxItem(`in-${index}`, { sessionName: name, session: name })));
      advance(100);
    });
    advance(GROUP_WINDOW_MS);
    expect(shown).toEqual([
      {
        title: '5 items need you',
        body: 'From lead, w1, w2 and 1 more. Open the inbox to answer.',
        items: ['in-0', 'in-1', 'in-2', 'in-3', 'in-4'],
      },
    ]);
  });

  it('says nothing of items answered within the window, nor of those open when it started', () => {
    const { notifier, shown, advance, pending } = fakeNotifier();
    notifier.apply(listed(inboxItem('old')));
    notifier.apply(added(inboxItem('old')));
    notifier.apply(added(inboxItem('quick')));
    notifier.apply(removed(inboxItem('quick')));
    advance(GROUP_WINDOW_MS);
    expect(shown).toEqual([]);
    notifier.apply(added(inboxItem('late')));
    expect(pending()).toBe(1);
    notifier.dispose();
    expect(pending()).toBe(0);
    advance(GROUP_WINDOW_MS);
    expect(shown).toEqual([]);
  });
});

describe('TrayModel with an inbox', () => {
  const sessions: HubMessage = {
    type: 'session.list.result',
    replyTo: 1,
    sessions: [sessionInfo('a', { status: 'waiting' }), sessionInfo('b', { status: 'working' })],
  };

  it('counts waiting sessions until the hub lists an inbox, then its open items', () => {
    const tray = new TrayModel();
    tray.apply(sessions);
    expect(tray.badge()).toBe(1);
    expect(tray.menu().some((item) => 'action' in item && item.action === 'inbox')).toBe(false);
    expect(tray.apply(listed(inboxItem('in-1'), inboxItem('in-2')))).toBe(true);
    expect(tray.counts.inbox).toBe(2);
    expect(tray.badge()).toBe(2);
    expect(tray.title()).toBe('▶1 ✉2');
    expect(tray.tooltip()).toBe('Switchboard: 2 in the inbox, 1 working, 0 done since you last looked');
    expect(tray.menu()).toContainEqual({ label: 'Inbox: 2 need you', action: 'inbox' });
    expect(tray.apply(removed(inboxItem('in-1')))).toBe(true);
    expect(tray.apply(removed(inboxItem('in-1')))).toBe(false);
    expect(tray.menu()).toContainEqual({ label: 'Inbox: 1 needs you', action: 'inbox' });
    tray.apply(removed(inboxItem('in-2')));
    expect(tray.title()).toBe('▶1');
    expect(tray.menu()).toContainEqual({ label: 'Inbox: nothing needs you', action: 'inbox' });
  });
});

describe('Notifier with an inbox', () => {
  it('leaves waits to the inbox once the hub lists one, but still says when a session ended', () => {
    const shown: NotificationSpec[] = [];
    const notifier = new Notifier((notification) => shown.push(notification));
    const working: SessionInfo = sessionInfo('b', { status: 'working' });
    notifier.apply({ type: 'session.list.result', replyTo: 1, sessions: [working] });
    notifier.apply(listed());
    notifier.apply({ type: 'session.event', kind: 'updated', session: { ...working, status: 'waiting' } });
    notifier.apply({
      type: 'session.event',
      kind: 'updated',
      session: { ...working, status: 'ended', exitCode: 0 },
    });
    expect(shown).toEqual([{ title: 'b ended', body: 'Exit code 0.', session: 'b' }]);
  });
});
