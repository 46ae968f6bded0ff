// Finished workers stop after a quiet grace, never while someone is attached or it still makes output.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TaskInfo, TaskStatus } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import { FinishedWorkers } from './finishedWorkers.js';

const worker = { id: 'w1', isEnded: false, offset: 100, attached: 0 };
const session = {
  id: 'w1',
  get isEnded() {
    return worker.isEnded;
  },
  get offset() {
    return worker.offset;
  },
  participants: () => Array.from({ length: worker.attached }, () => ({})),
} as unknown as Session;
const task = (status: TaskStatus, id = 't1') => ({ id, status, toSession: 'w1' }) as TaskInfo;

let stopped: string[];
let reaper: FinishedWorkers;
beforeEach(() => {
  vi.useFakeTimers();
  Object.assign(worker, { isEnded: false, offset: 100, attached: 0 });
  stopped = [];
  reaper = new FinishedWorkers({
    graceMs: 1000,
    findSession: (id) => (id === 'w1' ? session : undefined),
    workerTask: (id) => (id === 'w1' ? 't1' : undefined),
    stop: (id, reason) => stopped.push(`${id}: ${reason}`),
  });
});
afterEach(() => {
  reaper.dispose();
  vi.useRealTimers();
});

describe('FinishedWorkers', () => {
  it('stops a worker whose own task is done after a quiet grace, saying why', async () => {
    reaper.taskChanged(task('running'));
    await vi.advanceTimersByTimeAsync(5000);
    expect(stopped).toEqual([]);
    reaper.taskChanged(task('done'));
    await vi.advanceTimersByTimeAsync(999);
    expect(stopped).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(stopped).toEqual(['w1: Finished: its task t1 is done; stopped after 1 s idle.']);
  });

  it('starts the grace again while it makes output (someone typing) or a human is attached', async () => {
    reaper.taskChanged(task('failed'));
    worker.offset = 120; // typed into, echoed
    await vi.advanceTimersByTimeAsync(1000);
    expect(stopped).toEqual([]);
    worker.attached = 1;
    await vi.advanceTimersByTimeAsync(3000);
    expect(stopped).toEqual([]);
    worker.attached = 0;
    await vi.advanceTimersByTimeAsync(1000);
    expect(stopped).toHaveLength(1);
  });

  it('ignores tasks that are not the worker’s own, and workers that already ended', async () => {
    reaper.taskChanged(task('done', 'other-task'));
    await vi.advanceTimersByTimeAsync(2000);
    expect(stopped).toEqual([]);
    reaper.taskChanged(task('cancelled'));
    worker.isEnded = true;
    await vi.advanceTimersByTimeAsync(2000);
    expect(stopped).toEqual([]);
  });
});
