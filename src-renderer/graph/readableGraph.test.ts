// Issue 13 item 1: the layered layout stays readable. Parallel edges get their own labels, no label sits
// under a node, no edge runs through a node, shells sit on a shelf; filters, folds and repository frames.
import { describe, expect, it } from 'vitest';
import type { SessionInfo, TaskInfo, TaskStatus } from '../../src-protocol/index.js';
import { sessionInfo } from '../state/testSessions.js';
import { SHOW_ALL, type GraphOptions } from './graphFilters.js';
import { delegationGraph, OWNER_NODE, type Graph } from './graphLayout.js';
import { intersects, type Box, type Point } from './layered.js';

const STATUSES: TaskStatus[] = ['queued', 'delivered', 'running', 'blocked', 'done', 'failed', 'cancelled'];
let serial = 0;
const task = (
  from: string | null,
  to: string,
  status: TaskStatus = 'running',
  title = `task ${serial}`,
): TaskInfo => {
  serial += 1;
  return {
    id: `t${String(serial).padStart(3, '0')}`,
    parentId: null,
    fromSession: from,
    fromName: from ?? 'owner',
    toSession: to,
    toName: to,
    title,
    instructions: 'x',
    status,
    result: null,
    createdAt: new Date(Date.parse('2026-11-26T04:00:00.000Z') + serial * 1000).toISOString(),
    updatedAt: '2026-11-26T04:00:00.000Z',
    deadlineAt: '2026-11-26T05:00:00.000Z',
  };
};
const byId = <T extends { id: string }>(list: T[]) => Object.fromEntries(list.map((item) => [item.id, item]));

/** A lead, three helpers, two sub-helpers, shells; several tasks between the same sessions, every status. */
function crew(): { sessions: Record<string, SessionInfo>; tasks: Record<string, TaskInfo> } {
  const names = ['lead', 'h1', 'h2', 'h3', 's1', 's2', 'shell1', 'shell2', 'shell3'];
  const sessions = byId(
    names.map((name) =>
      sessionInfo(name, {
        name,
        kind: name.startsWith('shell') ? 'command' : 'claude',
        cwd: name === 'h3' || name === 's2' ? '/other' : '/repo',
      }),
    ),
  );
  const list = [
    task(null, 'lead'),
    ...STATUSES.map((status) => task('lead', 'h1', status, `parallel ${status}`)),
    task('lead', 'h2', 'blocked', 'a blocked task with a long title that goes on and on'),
    task('lead', 'h3', 'done'),
    task('h1', 's1'),
    task('h1', 's1', 'blocked'),
    task('h3', 's2', 'done'),
  ];
  return { sessions, tasks: byId(list) };
}

/** Whether the segment p-q passes through the box's inside (shrunk by 1 px: touching its edge is fine). */
function crosses(p: Point, q: Point, box: Box): boolean {
  const inner = { x: box.x + 1, y: box.y + 1, width: box.width - 2, height: box.height - 2 };
  for (let step = 0; step <= 40; step++) {
    const x = p.x + ((q.x - p.x) * step) / 40;
    const y = p.y + ((q.y - p.y) * step) / 40;
    if (x > inner.x && x < inner.x + inner.width && y > inner.y && y < inner.y + inner.height) return true;
  }
  return false;
}

function checkReadable(graph: Graph) {
  // "new session in…" (the owner's view) is laid out with the rest.
  const boxes: Array<Box & { id: string }> = [
    ...graph.nodes,
    ...(graph.newSession ? [{ id: 'new-session', ...graph.newSession }] : []),
  ];
  for (const edge of graph.edges) {
    const label = edge.labelBox!;
    for (const node of boxes)
      expect(intersects(label, node), `${edge.title} label under ${node.id}`).toBe(false);
    for (const other of graph.edges)
      if (other !== edge)
        expect(intersects(label, other.labelBox!), `${edge.title} on ${other.title}`).toBe(false);
    const points = edge.points!;
    for (const node of boxes) {
      if (node.id === edge.source || node.id === edge.target) continue;
      for (let i = 1; i < points.length; i++)
        expect(
          crosses(points[i - 1]!, points[i]!, node),
          `${edge.title} through ${node.id}: ${JSON.stringify({ points, node, source: boxes.find((one) => one.id === edge.source), target: boxes.find((one) => one.id === edge.target) })}`,
        ).toBe(false);
    }
  }
  for (const a of boxes)
    for (const b of boxes) if (a !== b) expect(intersects(a, b), `${a.id} on ${b.id}`).toBe(false);
}

describe('a readable delegation graph', () => {
  it('fans parallel edges out: each task between the same two sessions has its own label, apart', () => {
    const { sessions, tasks } = crew();
    const graph = delegationGraph(sessions, tasks, true);
    const parallel = graph.edges.filter((edge) => edge.source === 'lead' && edge.target === 'h1');
    expect(parallel).toHaveLength(STATUSES.length);
    expect(new Set(parallel.map((edge) => `${edge.labelBox!.x},${edge.labelBox!.y}`)).size).toBe(
      STATUSES.length,
    );
    // Their routes part too: each passes through its own label.
    for (const edge of parallel) {
      const middle = edge.points!.slice(1, -1);
      const label = edge.labelBox!;
      expect(
        middle.some(
          (p) =>
            p.x >= label.x && p.x <= label.x + label.width && p.y >= label.y && p.y <= label.y + label.height,
        ),
      ).toBe(true);
    }
  });

  it('puts no label under a node, no label on another, no edge through a node, no node on another', () => {
    const { sessions, tasks } = crew();
    checkReadable(delegationGraph(sessions, tasks, true));
    checkReadable(delegationGraph(sessions, tasks, true, { ...SHOW_ALL, groupByRepo: true }));
  });

  it('stays readable with 100 sessions and 300 tasks, laid out in well under a second', () => {
    const names = Array.from({ length: 100 }, (_, i) => `s${i}`);
    const sessions = byId(
      names.map((name) => sessionInfo(name, { name, cwd: `/repo${Number(name.slice(1)) % 4}` })),
    );
    const list: TaskInfo[] = [];
    // A tree: s0..s4 from the owner, each session delegating to later ones, several tasks per pair.
    for (let i = 0; i < 300; i++) {
      const to = 1 + (i % 79);
      const from = i % 5 === 0 ? null : `s${Math.floor(to / 3)}`;
      list.push(task(from === `s${to}` ? null : from, `s${to}`, STATUSES[i % STATUSES.length]));
    }
    const started = performance.now();
    const graph = delegationGraph(sessions, byId(list), true);
    const took = performance.now() - started;
    expect(graph.edges).toHaveLength(300);
    expect(graph.nodes.filter((node) => node.shelved)).toHaveLength(20);
    checkReadable(graph);
    expect(took).toBeLessThan(3000);
  });

  it('puts sessions without tasks on a shelf below the layers, and hides them on request', () => {
    const { sessions, tasks } = crew();
    const graph = delegationGraph(sessions, tasks, true);
    const shelved = graph.nodes.filter((node) => node.shelved).map((node) => node.id);
    expect(shelved.sort()).toEqual(['shell1', 'shell2', 'shell3']);
    const layers = graph.nodes.filter((node) => !node.shelved);
    const bottom = Math.max(
      ...layers.map((node) => node.y + node.height),
      ...graph.edges.map((e) => e.labelBox!.y + e.labelBox!.height),
    );
    for (const node of graph.nodes.filter((one) => one.shelved)) expect(node.y).toBeGreaterThan(bottom);
    expect(graph.shelf).not.toBeNull();
    const hidden = delegationGraph(sessions, tasks, true, { ...SHOW_ALL, hideIdle: true });
    expect(hidden.nodes.map((node) => node.id)).not.toContain('shell1');
    expect(hidden.hidden).toBe(3);
    expect(hidden.shelf).toBeNull();
  });

  it('hides finished tasks: their edges go, and a session left without tasks moves to the shelf', () => {
    const { sessions, tasks } = crew();
    const graph = delegationGraph(sessions, tasks, true, { ...SHOW_ALL, hideFinished: true });
    expect(graph.edges.map((edge) => edge.status)).not.toContain('done');
    expect(graph.edges.map((edge) => edge.status)).not.toContain('cancelled');
    expect(
      graph.edges.filter((edge) => edge.source === 'lead' && edge.target === 'h1').map((edge) => edge.status),
    ).toEqual(['queued', 'delivered', 'running', 'blocked', 'failed']);
    const nodes = byId(graph.nodes);
    expect(nodes.h3!.shelved).toBe(true);
    expect(nodes.s2!.shelved).toBe(true);
    expect(nodes.h1!.shelved).toBe(false);
  });

  it('folds a subtree: its sessions and their edges go, the folded node counts them; unfolding brings them back', () => {
    const { sessions, tasks } = crew();
    const open = byId(delegationGraph(sessions, tasks, true).nodes);
    expect(open.lead).toMatchObject({ below: 5, collapsed: false });
    expect(open.h1).toMatchObject({ below: 1, collapsed: false });
    expect(open.s1).toMatchObject({ below: 0 });
    const folded = delegationGraph(sessions, tasks, true, { ...SHOW_ALL, collapsed: new Set(['h1']) });
    const ids = folded.nodes.map((node) => node.id);
    expect(ids).not.toContain('s1');
    expect(ids).toContain('h1');
    expect(byId(folded.nodes).h1).toMatchObject({ below: 1, collapsed: true });
    expect(folded.edges.some((edge) => edge.target === 's1')).toBe(false);
    const all = delegationGraph(sessions, tasks, true, { ...SHOW_ALL, collapsed: new Set(['lead']) });
    expect(all.nodes.map((node) => node.id).sort()).toEqual([
      'lead',
      OWNER_NODE,
      'shell1',
      'shell2',
      'shell3',
    ]);
    expect(byId(all.nodes).lead!.below).toBe(5);
  });

  it('a fold keeps a session that is also reached another way', () => {
    const sessions = byId(['a', 'b', 'c'].map((name) => sessionInfo(name, { name })));
    const tasks = byId([task(null, 'a'), task(null, 'c'), task('a', 'b'), task('c', 'b')]);
    const options: GraphOptions = { ...SHOW_ALL, collapsed: new Set(['a']) };
    const graph = delegationGraph(sessions, tasks, false, options);
    expect(graph.nodes.map((node) => node.id)).toContain('b');
    expect(byId(graph.nodes).a).toMatchObject({ below: 0, collapsed: false });
  });

  it('groups by repository: each frame holds exactly its sessions', () => {
    const { sessions, tasks } = crew();
    const graph = delegationGraph(sessions, tasks, true, { ...SHOW_ALL, groupByRepo: true });
    expect(graph.groups.map((group) => group.title).sort()).toEqual(['other', 'repo']);
    for (const node of graph.nodes.filter((one) => !one.shelved && one.id !== OWNER_NODE)) {
      const frame = graph.groups.find((group) => group.title === sessions[node.id]!.cwd.slice(1))!;
      expect(node.x).toBeGreaterThanOrEqual(frame.x);
      expect(node.y).toBeGreaterThanOrEqual(frame.y);
      expect(node.x + node.width).toBeLessThanOrEqual(frame.x + frame.width);
      expect(node.y + node.height).toBeLessThanOrEqual(frame.y + frame.height);
    }
    const [first, second] = graph.groups;
    expect(intersects(first!, second!), JSON.stringify(graph.groups)).toBe(false);
  });
});
