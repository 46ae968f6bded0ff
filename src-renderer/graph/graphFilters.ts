// What the delegation graph shows: finished tasks and sessions without tasks may be hidden, and a node's
// subtree (everyone it delegated to, and so on) folded away behind it with a count.
import type { TaskStatus } from '../../src-protocol/index.js';

/** Finished: nothing more to do. Blocked, failed, timed out and unreported tasks want a look: they stay. */
export const isFinished = (status: TaskStatus) => status === 'done' || status === 'cancelled';

export interface GraphOptions {
  /** Hides done and cancelled tasks. */
  hideFinished: boolean;
  /** Sessions with no (shown) task in or out: on their own shelf, or gone with this. */
  hideIdle: boolean;
  groupByRepo: boolean;
  /** Nodes whose subtrees are folded. */
  collapsed: ReadonlySet<string>;
}

export const SHOW_ALL: GraphOptions = {
  hideFinished: false,
  hideIdle: false,
  groupByRepo: false,
  collapsed: new Set(),
};

interface Link {
  source: string;
  target: string;
  status: TaskStatus;
}

export interface Visible<E extends Link> {
  edges: E[];
  /** Nodes left out because a node above them is folded. */
  folded: Set<string>;
  /** How many nodes lie below each node that has any (for a folded one: how many it hides). */
  below: Map<string, number>;
}

function reachable(from: string, out: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const queue = [...(out.get(from) ?? [])];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (id === from || seen.has(id)) continue;
    seen.add(id);
    queue.push(...(out.get(id) ?? []));
  }
  return seen;
}

/**
 * The edges to draw after the filters, and the nodes a fold hides: everything below a folded node that
 * cannot be reached some other way (from a node not below any fold, without passing a folded node).
 */
export function visibleParts<E extends Link>(edges: E[], options: GraphOptions): Visible<E> {
  const kept = options.hideFinished ? edges.filter((edge) => !isFinished(edge.status)) : edges;
  const out = new Map<string, string[]>();
  for (const edge of kept) out.set(edge.source, [...(out.get(edge.source) ?? []), edge.target]);
  const descendants = new Map<string, Set<string>>();
  for (const id of out.keys()) descendants.set(id, reachable(id, out));
  const underFold = new Set<string>();
  for (const id of options.collapsed) for (const below of descendants.get(id) ?? []) underFold.add(below);
  const nodes = new Set(kept.flatMap((edge) => [edge.source, edge.target]));
  const open = [...nodes].filter((id) => !underFold.has(id));
  const seen = new Set(open);
  while (open.length > 0) {
    const id = open.shift()!;
    if (options.collapsed.has(id)) continue;
    for (const next of out.get(id) ?? [])
      if (!seen.has(next)) {
        seen.add(next);
        open.push(next);
      }
  }
  const folded = new Set([...underFold].filter((id) => !seen.has(id)));
  const below = new Map<string, number>();
  for (const [id, set] of descendants)
    below.set(id, options.collapsed.has(id) ? [...set].filter((one) => folded.has(one)).length : set.size);
  return {
    edges: kept.filter((edge) => !folded.has(edge.source) && !folded.has(edge.target)),
    folded,
    below,
  };
}
