// Issue 13 #10: the inspector's history is the hub's, plus what the window heard after it asked.
import { describe, expect, it } from 'vitest';
import { mergeHistory } from './mergeHistory.js';

const task = { status: 'done' as const, updatedAt: '2026-11-26T04:09:00.000Z' };
const at = (minute: number) => `2026-11-26T04:0${minute}:00.000Z`;

describe('mergeHistory', () => {
  it("shows the hub's full history even when the window heard only the end", () => {
    const kept = [
      { at: at(0), status: 'queued' as const },
      { at: at(1), status: 'delivered' as const },
      { at: at(2), status: 'running' as const },
    ];
    const live = [{ at: at(5), status: 'done' as const }];
    expect(mergeHistory(kept, live, task).map((step) => step.status)).toEqual([
      'queued',
      'delivered',
      'running',
      'done',
    ]);
  });

  it('does not repeat a live step the hub already had', () => {
    const kept = [
      { at: at(0), status: 'queued' as const },
      { at: at(5), status: 'done' as const },
    ];
    expect(mergeHistory(kept, [{ at: at(5), status: 'done' }], task)).toHaveLength(2);
  });

  it("uses what the window heard until the hub answers, else the task's own status", () => {
    expect(mergeHistory(null, [{ at: at(3), status: 'running' }], task)).toEqual([
      { at: at(3), status: 'running' },
    ]);
    expect(mergeHistory(null, undefined, task)).toEqual([{ at: task.updatedAt, status: 'done' }]);
  });
});
