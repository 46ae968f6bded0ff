// Issue 13 #6: a task's token use is what its worker session used while on that task. One transcript with
// two tasks' worth of messages (and some between them): each task's total counts only its own.
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TaskInfo, TaskStatus, TaskUsage } from '../../src-protocol/index.js';
import { estimateCost } from './prices.js';
import { TaskUsageTracker } from './taskUsage.js';
import { taskWindow, windowUsage } from './taskWindow.js';
import { TranscriptReader } from './transcript.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const MODEL = 'claude-sonnet-4-5-20250929';

/** An assistant message as Claude Code writes it: a line per content block, one id, the last line final. */
function message(id: string, seconds: number | null, input: number, output: number): string {
  const line = (outputTokens: number) =>
    JSON.stringify({
      type: 'assistant',
      ...(seconds === null ? {} : { timestamp: at(seconds) }),
      message: { id, model: MODEL, usage: { input_tokens: input, output_tokens: outputTokens } },
    }) + '\n';
  return line(1) + line(output);
}

function transcript(text: string): TranscriptReader {
  const dir = mkdtempSync(join(tmpdir(), 'sb-task-usage-'));
  dirs.push(dir);
  const path = join(dir, 'session.jsonl');
  appendFileSync(path, text);
  const reader = new TranscriptReader(path);
  reader.read();
  return reader;
}

// The session: its own prompt before any task (m0), task one from 10 s to 60 s (m1, m2), idle work at
// 70 s (m3), task two from 100 s, still running (m4, m5).
const SESSION =
  message('m0', 5, 100, 10) +
  message('m1', 12, 1000, 200) +
  message('m2', 40, 3000, 400) +
  message('m3', 70, 50_000, 5000) +
  message('m4', 101, 7000, 700) +
  message('m5', 130, 9000, 900);

const cost = (input: number, output: number) =>
  estimateCost(MODEL, {
    inputTokens: input,
    outputTokens: output,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
  })!;

describe('taskWindow', () => {
  it('runs from the first delivery to the first final status; open while running; none if never delivered', () => {
    const steps = (...list: Array<[number, string]>) => list.map(([s, status]) => ({ at: at(s), status }));
    expect(taskWindow(steps([0, 'queued'], [10, 'delivered'], [11, 'running'], [60, 'done']))).toEqual({
      from: T0 + 10_000,
      to: T0 + 60_000,
    });
    expect(taskWindow(steps([0, 'queued'], [100, 'delivered'], [101, 'running']))).toEqual({
      from: T0 + 100_000,
      to: null,
    });
    expect(taskWindow(steps([0, 'queued'], [5, 'cancelled']))).toBeNull();
  });
});

describe('windowUsage', () => {
  it("counts each task's own messages only, not the session's other work", () => {
    const messages = transcript(SESSION).messagesRead();
    const one = windowUsage(messages, { from: T0 + 10_000, to: T0 + 60_000 });
    expect(one).toEqual({
      model: MODEL,
      inputTokens: 4000,
      outputTokens: 600, // each message's last line, not its first
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      costUsd: Math.round(cost(4000, 600) * 10_000) / 10_000,
      approximate: false,
    });
    // Running: up to now.
    const two = windowUsage(messages, { from: T0 + 100_000, to: null });
    expect(two).toMatchObject({ inputTokens: 16_000, outputTokens: 1600, approximate: false });
    // The session's whole use is more than the two tasks': m0 and m3 were no task's.
    const whole = windowUsage(messages, { from: 0, to: null });
    expect(whole.inputTokens).toBe(70_100);
  });

  it('falls back to the whole session, marked approximate, when a message has no time', () => {
    const messages = transcript(SESSION + message('m6', null, 2, 2)).messagesRead();
    expect(windowUsage(messages, { from: T0 + 10_000, to: T0 + 60_000 })).toMatchObject({
      inputTokens: 70_102,
      approximate: true,
    });
  });
});

describe('TaskUsageTracker', () => {
  function tracker(tasks: TaskInfo[], statuses: Record<string, Array<[number, TaskStatus]>>, now: number) {
    const announced: TaskInfo[] = [];
    const usages = new Map<string, TaskUsage>();
    const tracked = new TaskUsageTracker({
      tasksTo: (session) =>
        tasks
          .filter((task) => task.toSession === session)
          .map((task) => ({ ...task, usage: usages.get(task.id) ?? task.usage ?? null })),
      statuses: (id) => (statuses[id] ?? []).map(([seconds, status]) => ({ at: at(seconds), status })),
      setUsage: (id, usage) => {
        usages.set(id, usage);
        return { ...tasks.find((task) => task.id === id)!, usage };
      },
      announce: (task) => announced.push(task),
      now: () => now,
    });
    return { tracked, announced, usages };
  }

  const task = (id: string, status: TaskStatus, endSeconds: number): TaskInfo => ({
    id,
    parentId: null,
    fromSession: null,
    fromName: 'owner',
    toSession: 'w',
    toName: 'worker',
    title: id,
    instructions: id,
    status,
    result: null,
    createdAt: at(0),
    updatedAt: at(endSeconds),
    deadlineAt: at(3600),
  });

  it('gives each task of the session its share, announces a change once, and leaves settled ones alone', () => {
    const tasks = [task('one', 'done', 60), task('two', 'running', 101), task('never', 'cancelled', 3)];
    const statuses: Record<string, Array<[number, TaskStatus]>> = {
      one: [
        [0, 'queued'],
        [10, 'delivered'],
        [60, 'done'],
      ],
      two: [
        [90, 'queued'],
        [100, 'delivered'],
      ],
      never: [
        [1, 'queued'],
        [3, 'cancelled'],
      ],
    };
    const { tracked, announced, usages } = tracker(tasks, statuses, T0 + 131_000);
    const messages = transcript(SESSION).messagesRead();
    tracked.sessionRead('w', messages);
    expect(usages.get('one')).toMatchObject({ inputTokens: 4000, outputTokens: 600 });
    expect(usages.get('two')).toMatchObject({ inputTokens: 16_000, outputTokens: 1600 });
    // Never delivered and closed: it used nothing, and that figure settles it (no status reads at every hook).
    expect(usages.get('never')).toMatchObject({ inputTokens: 0, outputTokens: 0, costUsd: 0 });
    expect(announced.map((one) => one.id)).toEqual(['one', 'two', 'never']);
    // Read again with nothing new: no figure changed, nothing announced.
    tracked.sessionRead('w', messages);
    expect(announced).toHaveLength(3);
  });

  it('ends a task that is still open where the next task delivered to the session begins: nothing counted twice', () => {
    // Task one's turn ended without a report; task two was typed in at 100 s while one still counted as
    // running (its grace cancelled by the new prompt).
    const tasks = [task('one', 'running', 11), task('two', 'running', 101)];
    const statuses: Record<string, Array<[number, TaskStatus]>> = {
      one: [
        [10, 'delivered'],
        [11, 'running'],
      ],
      two: [
        [100, 'delivered'],
        [101, 'running'],
      ],
    };
    const { tracked, usages } = tracker(tasks, statuses, T0 + 131_000);
    tracked.sessionRead('w', transcript(SESSION).messagesRead());
    // one: m1, m2 and the idle m3 before two's delivery; two: m4, m5. The sum is each message once.
    expect(usages.get('one')).toMatchObject({ inputTokens: 54_000, outputTokens: 5600 });
    expect(usages.get('two')).toMatchObject({ inputTokens: 16_000, outputTokens: 1600 });
  });

  it('does not work out again a task whose figure settled a minute after its end', () => {
    const settled = { ...task('old', 'done', 60), usage: { ...windowUsage([], { from: 0, to: 1 }) } };
    const { tracked, announced } = tracker(
      [settled],
      {
        old: [
          [10, 'delivered'],
          [60, 'done'],
        ],
      },
      T0 + 200_000,
    );
    tracked.sessionRead('w', transcript(SESSION).messagesRead());
    expect(announced).toEqual([]);
  });
});
