// Issue 10: the per-session activity list folds each person's keystrokes into one line.
import { describe, expect, it } from 'vitest';
import { activityLines } from './activity.js';

const input = (at: string, client: string, name: string, chars: number) => ({
  at,
  kind: 'session.input',
  data: { client, name, credential: 'invite:ab12cd34', chars },
});

describe('activityLines', () => {
  it('folds consecutive inputs by one client, and keeps attaches and leaves', () => {
    const lines = activityLines([
      { at: 't1', kind: 'client.attached', data: { client: 'c-b', name: 'Bob', role: 'driver' } },
      input('t2', 'c-b', 'Bob', 1),
      input('t3', 'c-b', 'Bob', 4),
      input('t4', 'c-o', 'owner', 1),
      input('t5', 'c-b', 'Bob', 2),
      { at: 't6', kind: 'client.detached', data: { client: 'c-b', name: 'Bob', reason: 'disconnected' } },
    ]);
    expect(lines).toEqual([
      { at: 't1', who: 'Bob', text: 'attached as driver' },
      { at: 't2', who: 'Bob', text: 'typed 5 characters in 2 inputs' },
      { at: 't4', who: 'owner', text: 'typed 1 character in 1 input' },
      { at: 't5', who: 'Bob', text: 'typed 2 characters in 1 input' },
      { at: 't6', who: 'Bob', text: 'left (disconnected)' },
    ]);
  });
});
