// The inbox projection: list and live changes, the selection j/k move and keep after an answer, disconnect.
import { describe, expect, it } from 'vitest';
import type { HubMessage } from '../../src-protocol/index.js';
import {
  applyInboxEvent,
  disconnectedInbox,
  initialInboxState,
  moveSelection,
  orderedItems,
  type InboxState,
} from './inboxState.js';
import { inboxItem } from './testItems.js';

const at = (minute: number) => `2026-12-01T04:0${minute}:00.000Z`;
const first = inboxItem('in-1', { since: at(1) });
const second = inboxItem('in-2', { since: at(2), kind: 'dialog', session: 's2', sessionName: 'worker' });
const third = inboxItem('in-3', { since: at(3), kind: 'question' });

const run = (messages: HubMessage[], state: InboxState = initialInboxState) =>
  messages.reduce((current, message) => applyInboxEvent(current, message, 1000), state);
const listed = (...items: ReturnType<typeof inboxItem>[]): HubMessage => ({
  type: 'inbox.items',
  replyTo: 1,
  items,
});

describe('applyInboxEvent', () => {
  it('takes the list whole, oldest first, and selects the oldest item', () => {
    const state = run([listed(third, first, second)]);
    expect(state.loaded).toBe(true);
    expect(orderedItems(state.items).map((item) => item.id)).toEqual(['in-1', 'in-2', 'in-3']);
    expect(state.selected).toBe('in-1');
  });

  it('follows added, updated and removed items, remembering who answered', () => {
    const state = run([
      listed(first),
      { type: 'inbox.changed', kind: 'added', item: second },
      { type: 'inbox.changed', kind: 'updated', item: { ...second, title: 'Trust this folder?' } },
      {
        type: 'inbox.changed',
        kind: 'removed',
        item: first,
        reason: 'answered',
        answeredBy: { name: 'Bob', role: 'driver', client: 'c9', address: '127.0.0.1' },
      },
    ]);
    expect(Object.keys(state.items)).toEqual(['in-2']);
    expect(state.items['in-2']!.title).toBe('Trust this folder?');
    expect(state.recent).toEqual([
      { id: 'in-1', title: 'lead: Bash: touch done.txt', reason: 'answered by Bob (driver)', at: 1000 },
    ]);
  });

  it('says why an item left without an answer', () => {
    const reasons = (['answered_in_terminal', 'expired', 'session_ended'] as const).map(
      (reason) =>
        run([listed(first), { type: 'inbox.changed', kind: 'removed', item: first, reason }]).recent[0]!
          .reason,
    );
    expect(reasons).toEqual([
      'answered in the terminal',
      "waited too long: Claude Code's own prompt took over",
      'its session ended',
    ]);
  });

  it('moves the selection to the next item when the selected one is answered, and to the last at the end', () => {
    let state = run([listed(first, second, third)]);
    state = moveSelection(state, 1);
    expect(state.selected).toBe('in-2');
    state = run([{ type: 'inbox.changed', kind: 'removed', item: second, reason: 'answered' }], state);
    expect(state.selected).toBe('in-3');
    state = run([{ type: 'inbox.changed', kind: 'removed', item: third, reason: 'answered' }], state);
    expect(state.selected).toBe('in-1');
    state = run([{ type: 'inbox.changed', kind: 'removed', item: first, reason: 'answered' }], state);
    expect(state.selected).toBeNull();
  });

  it('keeps the selection when others come and go, and ignores removals it never saw', () => {
    let state = moveSelection(run([listed(first, second)]), 1);
    state = run([{ type: 'inbox.changed', kind: 'added', item: third }], state);
    expect(state.selected).toBe('in-2');
    const unchanged = run(
      [{ type: 'inbox.changed', kind: 'removed', item: inboxItem('in-9'), reason: 'answered' }],
      state,
    );
    expect(unchanged).toBe(state);
    expect(applyInboxEvent(state, { type: 'ok', replyTo: 3 }, 0)).toBe(state);
  });

  it('j/k stop at the ends; an empty inbox has no selection', () => {
    let state = run([listed(first, second)]);
    expect(moveSelection(state, -1)).toBe(state);
    state = moveSelection(moveSelection(state, 1), 1);
    expect(state.selected).toBe('in-2');
    expect(moveSelection(initialInboxState, 1)).toBe(initialInboxState);
  });

  it('forgets its items on disconnect, until the next list', () => {
    const state = disconnectedInbox(run([listed(first)]));
    expect(state.items).toEqual({});
    expect(state.selected).toBeNull();
    expect(run([listed(second)], state).selected).toBe('in-2');
  });
});
