// The delegation graph's data and layout.
import { describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../src-protocol/index.js';
import { sessionInfo } from '../state/testSessions.js';
import { age, delegationGraph, NODE_WIDTH, OWNER_NODE } from './graphLayout.js';

const session = (id: string) => sessionInfo(id, { name: `n-${id}`, cwd: `/repo/${id}` });
const task = (id: string, from: string | null, to: string): TaskInfo => ({
  id,
  parentId: null,
  fromSession: from,
  fromName: from ?? 'owner',
  toSession: to,
  toName: to,
  title: `t-${id}`,
  instructions: 'x',
  status: 'running',
  result: null,
  createdAt: `2026-11-26T04:0${id}:00.000Z`,
  updatedAt: '2026-11-26T04:00:00.000Z',
  deadlineAt: '2026-11-26T05:00:00.000Z',
});

describe('delegationGraph', () => {
  it('lays delegation chains out left to right by depth, with "you" as the root of owner tasks', () => {
    const sessions = { a: session('a'), b: session('b'), c: session('c'), d: session('d') };
    const tasks = { 1: task('1', null, 'a'), 2: task('2', 'a', 'b'), 3: task('3', 'b', 'c') };
    const { nodes, edges } = delegationGraph(sessions, tasks);
    const x = Object.fromEntries(nodes.map((node) => [node.id, node.x]));
    expect(x[OWNER_NODE]).toBeLessThan(x.a!);
    expect(x.a).toBeLessThan(x.b!);
    expect(x.b).toBeLessThan(x.c!);
    // A whole column apart: no box of one depth overlaps the next depth's column.
    expect(x.a! - x[OWNER_NODE]!).toBeGreaterThan(NODE_WIDTH);
    expect(edges.map((edge) => `${edge.source}->${edge.target}`)).toEqual(['owner->a', 'a->b', 'b->c']);
    // d has no task: on the shelf below, not in the delegator column.
    const byId = Object.fromEntries(nodes.map((node) => [node.id, node]));
    expect(byId.d!.shelved).toBe(true);
    const lowest = Math.max(...nodes.filter((node) => !node.shelved).map((node) => node.y + node.height));
    expect(byId.d!.y).toBeGreaterThan(lowest);
  });

  it('marks workers and carries the worktree branch with its uncommitted count', () => {
    const sessions = {
      a: sessionInfo('a'),
      w: sessionInfo('w', {
        worker: {
          container: 'c1',
          image: 'img',
          repo: '/repo',
          root: 'w',
          parent: null,
          depth: 1,
          task: null,
        },
        worktree: { repo: '/repo', path: '/wt/w', branch: 'switchboard/w', dirty: 2 },
      }),
    };
    const byId = Object.fromEntries(delegationGraph(sessions, {}).nodes.map((node) => [node.id, node]));
    expect(byId.a).toMatchObject({ worker: false, branch: null });
    expect(byId.w).toMatchObject({ worker: true, branch: { name: 'switchboard/w', dirty: 2 } });
  });

  it('survives cycles and drops tasks whose sessions were removed', () => {
    const sessions = { a: session('a'), b: session('b') };
    const tasks = { 1: task('1', 'a', 'b'), 2: task('2', 'b', 'a'), 3: task('3', 'a', 'gone') };
    const { nodes, edges } = delegationGraph(sessions, tasks);
    expect(nodes).toHaveLength(2);
    expect(edges).toHaveLength(2);
  });
});

describe('age', () => {
  it('reads like a person would say it', () => {
    const now = Date.parse('2026-11-26T05:00:00.000Z');
    expect(age('2026-11-26T04:59:30.000Z', now)).toBe('30 s');
    expect(age('2026-11-26T04:55:00.000Z', now)).toBe('5 min');
    expect(age('2026-11-26T02:00:00.000Z', now)).toBe('3 h');
  });

  it('issue 17: draws a faint edge to where an open re-routed task was, gone once it finishes', () => {
    const sessions = { a: session('a'), b: session('b'), c: session('c') };
    const moved: TaskInfo = {
      ...task('1', null, 'c'),
      history: [
        { at: 'x', kind: 'rerouted', by: 'owner', text: 'a to b', fromSession: 'a', toSession: 'b' },
        { at: 'y', kind: 'rerouted', by: 'owner', text: 'b to c', fromSession: 'b', toSession: 'c' },
        { at: 'z', kind: 'rerouted', by: 'owner', text: 'gone', fromSession: 'removed', toSession: 'c' },
      ],
    };
    const open = delegationGraph(sessions, { 1: moved });
    expect(open.ghosts.map((edge) => `${edge.source}->${edge.target} of ${edge.ghostOf}`)).toEqual([
      'owner->a of 1',
      'owner->b of 1',
    ]);
    expect(open.edges.map((edge) => `${edge.source}->${edge.target}`)).toEqual(['owner->c']);
    expect(delegationGraph(sessions, { 1: { ...moved, status: 'done' } }).ghosts).toEqual([]);
  });

  it('issue 17: in the owner\'s routing view "you" is a node even before any task', () => {
    const sessions = { a: session('a') };
    expect(delegationGraph(sessions, {}).nodes.map((node) => node.id)).toEqual(['a']);
    expect(delegationGraph(sessions, {}, true).nodes.map((node) => node.id)).toEqual([OWNER_NODE, 'a']);
  });
});
