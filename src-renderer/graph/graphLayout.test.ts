// The delegation graph's data and layout.
import { describe, expect, it } from 'vitest';
import type { TaskInfo, TaskUsage } from '../../src-protocol/index.js';
import { sessionInfo } from '../state/testSessions.js';
import { age, delegationGraph, NODE_WIDTH, OWNER_NODE } from './graphLayout.js';
import type { Box } from './layered.js';

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

describe('branch token use on the edge labels (issue 13 #6)', () => {
  const use = (tokens: number, costUsd: number | null): TaskUsage => ({
    model: 'claude-sonnet-4-5',
    inputTokens: tokens / 2,
    outputTokens: tokens / 2,
    cacheReadTokens: 0,
    cacheCreationTokens: 0,
    costUsd,
    approximate: false,
  });
  // you → a (task 1), a → b (task 2, its subtask), you → c (task 3, c has used nothing), each task with
  // its own use (what its session used while on it).
  const tasks = {
    1: { ...task('1', null, 'a'), usage: use(1_000_000, 2.5) },
    2: { ...task('2', 'a', 'b'), parentId: '1', usage: use(200_000, 0.6) },
    3: { ...task('3', null, 'c'), usage: null },
  };
  const sessions = { a: session('a'), b: session('b'), c: session('c') };
  const boxes = (graph: ReturnType<typeof delegationGraph>) =>
    Object.fromEntries(graph.edges.map((edge) => [edge.id, edge]));

  it('sums each task and its subtasks on its label, in a taller box the layout keeps clear', () => {
    const graph = delegationGraph(sessions, tasks);
    const edges = boxes(graph);
    expect(edges['1']!.usage).toBe('1.2M tok · $3.10');
    expect(edges['2']!.usage).toBe('200k tok · $0.60');
    expect(edges['3']!.usage).toBeUndefined();
    expect(edges['1']!.labelBox!.height).toBeGreaterThan(edges['3']!.labelBox!.height);
    // Readable: no label box on a node or on another label.
    const overlap = (a: Box, b: Box) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    const labels = graph.edges.map((edge) => edge.labelBox!);
    for (const [index, label] of labels.entries()) {
      for (const node of graph.nodes) expect(overlap(label, node)).toBe(false);
      for (const other of labels.slice(index + 1)) expect(overlap(label, other)).toBe(false);
    }
  });

  it('shows no usage line, and keeps one-line labels, while no task has used tokens', () => {
    const unused = { 1: task('1', null, 'a'), 2: task('2', 'a', 'b'), 3: task('3', null, 'c') };
    const graph = delegationGraph(sessions, unused);
    expect(graph.edges.map((edge) => edge.usage)).toEqual([undefined, undefined, undefined]);
    expect(new Set(graph.edges.map((edge) => edge.labelBox!.height)).size).toBe(1);
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
