// Issue 13: with the hub's notices the window shows what the hub kept, counts unread past the hub's read
// mark, and raises none of its own; a hub without notices leaves the window's own rules in place.
import { describe, expect, it } from 'vitest';
import type { HubMessage, HubNotice } from '../../src-protocol/index.js';
import { applyHubEvent, initialHubState, type HubState } from './hubState.js';
import { sessionInfo } from './testSessions.js';

const notice = (id: number, patch: Partial<HubNotice> = {}): HubNotice => ({
  id,
  kind: 'task',
  title: `Task done: job ${id}`,
  body: 'all green',
  session: 's1',
  task: `t${id}`,
  status: 'done',
  at: '2026-11-26T04:00:00.000Z',
  ...patch,
});

const run = (events: Array<HubMessage | { type: 'local.noticesRead' }>, state: HubState = initialHubState) =>
  events.reduce((current, event) => applyHubEvent(current, event, 1000), state);

const listed = (notices: HubNotice[], readUpTo: number): HubMessage => ({
  type: 'notice.list.result',
  replyTo: 1,
  notices,
  readUpTo,
});

describe('notices kept by the hub', () => {
  it('shows the hub list and counts as unread what lies past the read mark', () => {
    const state = run([listed([notice(3), notice(2), notice(1)], 1)]);
    expect(state.notices.map((item) => item.id)).toEqual([3, 2, 1]);
    expect(state.notices[0]).toMatchObject({
      task: 't3',
      status: 'done',
      at: Date.parse('2026-11-26T04:00:00.000Z'),
    });
    expect(state.unreadNotices).toBe(2);
  });

  it('adds pushed notices once, and a read mark from another window clears them', () => {
    const added = (item: HubNotice): HubMessage => ({
      type: 'notice.event',
      kind: 'added',
      notice: item,
      readUpTo: 1,
    });
    let state = run([listed([notice(1)], 1), added(notice(2)), added(notice(2))]);
    expect(state.notices.map((item) => item.id)).toEqual([2, 1]);
    expect(state.unreadNotices).toBe(1);
    state = run([{ type: 'notice.event', kind: 'read', readUpTo: 2 }], state);
    expect(state.unreadNotices).toBe(0);
  });

  it('raises no notices of its own once the hub keeps them, and reading moves the local mark', () => {
    let state = run([
      listed([notice(1)], 0),
      { type: 'session.event', kind: 'added', session: sessionInfo('s9') },
      {
        type: 'session.event',
        kind: 'updated',
        session: sessionInfo('s9', { status: 'ended', exitCode: 0 }),
      },
    ]);
    expect(state.notices.map((item) => item.id)).toEqual([1]);
    state = run([{ type: 'local.noticesRead' }], state);
    expect(state).toMatchObject({ unreadNotices: 0, noticesReadUpTo: 1 });
  });

  it('ignores pushed notices before the list, and keeps the window rules for a hub without notices', () => {
    const state = run([
      { type: 'notice.event', kind: 'added', notice: notice(5), readUpTo: 0 },
      { type: 'session.event', kind: 'added', session: sessionInfo('s9') },
      {
        type: 'session.event',
        kind: 'updated',
        session: sessionInfo('s9', { status: 'ended', exitCode: 0 }),
      },
    ]);
    expect(state.notices.map((item) => item.kind)).toEqual(['ended']);
    expect(state.hubNotices).toBe(false);
  });
});
