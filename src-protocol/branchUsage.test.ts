// Issue 13 #6: token use summed per delegation branch: the task and its subtasks at any depth, each with its
// own use (what its session used while on it), so a session's other tasks are not counted in.
import { describe, expect, it } from 'vitest';
import { branchOf, branchUsage, branchUsageLine, branchUsageShort } from './branchUsage.js';
import type { TaskInfo, TaskUsage } from './index.js';

const use = (tokens: number, costUsd: number | null, approximate = false): TaskUsage => ({
  model: 'claude-sonnet-4-5',
  inputTokens: tokens / 2,
  outputTokens: tokens / 4,
  cacheReadTokens: tokens / 4,
  cacheCreationTokens: 0,
  costUsd,
  approximate,
});

const task = (
  id: string,
  parentId: string | null,
  toSession: string,
  usage?: TaskUsage | null,
): TaskInfo => ({
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
  ...(usage === undefined ? {} : { usage }),
});

// root → a → a1, root → b; other is a separate tree. Session s1 does root (1M) and later a1 (40k): the
// branch of a counts a1's 40k only, not s1's whole 1.04M. b used nothing yet; other's session is s1 too.
const tasks = [
  task('root', null, 's1', use(1_000_000, 2.5)),
  task('a', 'root', 's2', use(200_000, 0.6)),
  task('a1', 'a', 's1', use(40_000, 0.1)),
  task('b', 'root', 's3', null),
  task('other', null, 's1', use(4000, 1)),
];

describe('branch usage', () => {
  it('takes the task and its subtasks at any depth, and nothing of other trees', () => {
    expect(branchOf('root', tasks).sort()).toEqual(['a', 'a1', 'b', 'root']);
    expect(branchOf('a', tasks).sort()).toEqual(['a', 'a1']);
    expect(branchOf('b', tasks)).toEqual(['b']);
  });

  it("sums each task's own use: a session's other tasks are not in a branch", () => {
    const whole = branchUsage('root', tasks);
    expect(whole).toEqual({
      tasks: 4,
      sessions: ['s1', 's2', 's3'],
      tokens: 1_240_000,
      costUsd: 3.2,
      approximate: false,
    });
    expect(branchUsageLine(whole)).toBe('1.2M tokens, about $3.20');
    // s1 worked on root too, but only its use on a1 is in a's branch.
    expect(branchUsage('a', tasks)).toMatchObject({ tokens: 240_000, costUsd: 0.7, sessions: ['s2', 's1'] });
    expect(branchUsage('a1', tasks)).toMatchObject({ tokens: 40_000, costUsd: 0.1 });
    expect(branchUsage('b', tasks)).toEqual({
      tasks: 1,
      sessions: ['s3'],
      tokens: 0,
      costUsd: null,
      approximate: false,
    });
  });

  it('says so when some figure is a whole session (no times to split it by)', () => {
    const rough = [task('r', null, 's1', use(8000, 0.02)), task('r1', 'r', 's2', use(2000, 0.01, true))];
    const usage = branchUsage('r', rough);
    expect(usage).toMatchObject({ tokens: 10_000, approximate: true });
    expect(branchUsageLine(usage)).toBe('10k tokens, about $0.03 (approximate: whole sessions counted)');
    expect(branchUsageShort(usage)).toBe('≈10k tok · $0.03');
    expect(branchUsage('r1', rough).approximate).toBe(true);
    expect(branchUsage('r', [rough[0]!]).approximate).toBe(false);
  });

  it('leaves the cost out when no model has a price, and survives a cycle in bad data', () => {
    const unpriced = [task('root', null, 's1', use(2000, null))];
    expect(branchUsageLine(branchUsage('root', unpriced))).toBe('2.0k tokens');
    const loop = [task('x', 'y', 's1'), task('y', 'x', 's1')];
    expect(branchOf('x', loop).sort()).toEqual(['x', 'y']);
    expect(branchUsage('x', loop).tokens).toBe(0); // tasks from an older hub carry no usage: nothing counted
  });

  it('says it short for an edge label, with no cost when unpriced and nothing before any use', () => {
    expect(branchUsageShort(branchUsage('root', tasks))).toBe('1.2M tok · $3.20');
    expect(branchUsageShort(branchUsage('root', [task('root', null, 's1', use(2000, null))]))).toBe(
      '2.0k tok',
    );
    expect(branchUsageShort(branchUsage('b', tasks))).toBeNull();
  });
});
