// Issue 13 #6: token use summed per delegation branch: the task, its subtasks at any depth, each session once.
import { describe, expect, it } from 'vitest';
import { branchOf, branchUsage, branchUsageLine, branchUsageShort } from './branchUsage.js';
import type { SessionInfo, SessionUsage, TaskInfo } from './index.js';

const task = (id: string, parentId: string | null, toSession: string): TaskInfo => ({
  id,
  parentId,
  fromSession: null,
  fromName: 'owner',
  toSession,
  toName: toSession,
  title: id,
  instructions: id,
  status: 'done',
  result: null,
  createdAt: '2026-11-26T04:00:00.000Z',
  updatedAt: '2026-11-26T04:00:00.000Z',
  deadlineAt: '2026-11-26T05:00:00.000Z',
});

const usage = (tokens: number, costUsd: number | null): SessionUsage => ({
  model: 'claude-sonnet-4-5',
  inputTokens: tokens / 2,
  outputTokens: tokens / 4,
  cacheReadTokens: tokens / 4,
  cacheCreationTokens: 0,
  costUsd,
  contextTokens: 0,
  contextWindow: null,
  pricesAsOf: '2026-11-01',
});

const session = (id: string, use: SessionUsage | null) => ({ id, usage: use }) as unknown as SessionInfo;

// root → a → a1, root → b; other is a separate tree. Sessions: s1 does root and a1, s2 a, s3 b.
const tasks = [
  task('root', null, 's1'),
  task('a', 'root', 's2'),
  task('a1', 'a', 's1'),
  task('b', 'root', 's3'),
  task('other', null, 's4'),
];
const sessions = {
  s1: session('s1', usage(1_000_000, 2.5)),
  s2: session('s2', usage(200_000, 0.6)),
  s3: session('s3', null),
  s4: session('s4', usage(4000, 1)),
};

describe('branch usage', () => {
  it('takes the task and its subtasks at any depth, and nothing of other trees', () => {
    expect(branchOf('root', tasks).sort()).toEqual(['a', 'a1', 'b', 'root']);
    expect(branchOf('a', tasks).sort()).toEqual(['a', 'a1']);
    expect(branchOf('b', tasks)).toEqual(['b']);
  });

  it('sums each session that worked on the branch once; sessions without use add nothing', () => {
    const whole = branchUsage('root', tasks, sessions);
    expect(whole).toEqual({ tasks: 4, sessions: ['s1', 's2', 's3'], tokens: 1_200_000, costUsd: 3.1 });
    expect(branchUsageLine(whole)).toBe('1.2M tokens, about $3.10');
    expect(branchUsage('a', tasks, sessions)).toMatchObject({ tokens: 1_200_000, sessions: ['s2', 's1'] });
    expect(branchUsage('b', tasks, sessions)).toEqual({
      tasks: 1,
      sessions: ['s3'],
      tokens: 0,
      costUsd: null,
    });
  });

  it('leaves the cost out when no model has a price, and survives a cycle in bad data', () => {
    const unpriced = { s1: session('s1', usage(2000, null)) };
    expect(branchUsageLine(branchUsage('root', tasks, unpriced))).toBe('2.0k tokens');
    const loop = [task('x', 'y', 's1'), task('y', 'x', 's1')];
    expect(branchOf('x', loop).sort()).toEqual(['x', 'y']);
  });

  it('says it short for an edge label, with no cost when unpriced and nothing before any use', () => {
    expect(branchUsageShort(branchUsage('root', tasks, sessions))).toBe('1.2M tok · $3.10');
    expect(branchUsageShort(branchUsage('root', tasks, { s1: session('s1', usage(2000, null)) }))).toBe(
      '2.0k tok',
    );
    expect(branchUsageShort(branchUsage('b', tasks, sessions))).toBeNull();
  });
});
