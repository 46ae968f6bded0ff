// The delegation graph as data, laid out in layers: delegators left, the sessions they delegate to right.
import {
  usageLine,
  isFinalTaskStatus,
  type SessionInfo,
  type SessionStatus,
  type TaskInfo,
  type TaskStatus,
} from '../../src-protocol/index.js';

import { workerPlace, type WorkerPlace } from './workerPlace.js';

export const OWNER_NODE = 'owner';
/** A drop target that starts a new Claude session for the task (issue 17). */
export const NEW_SESSION_NODE = 'new-session';
export const LAYER_GAP = 440;
export const ROW_GAP = 120;

export interface GraphNode {
  id: string;
  label: string;
  status: SessionStatus | 'owner';
  cwd: string;
  kind: SessionInfo['kind'] | 'owner';
  /** Runs in a Docker worker container rather than on the hub's machine. */
  worker: boolean;
  /** Where it runs: this machine, a container, or a Kubernetes pod and its node (workerPlace.ts). */
  place: WorkerPlace;
  /** The git worktree it runs in, if any: branch and uncommitted entries (null: not read yet). */
  branch: { name: string; dirty: number | null } | null;
  /** Token use, as one line (Claude sessions that have replied). */
  usage: string | null;
  x: number;
  y: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  title: string;
  status: TaskStatus;
  createdAt: string;
  /** A faint edge to where a re-routed task was, shown until it finishes: the task's id (issue 17). */
  ghostOf?: string;
}

/** Where a re-routed open task was before: one faint edge per session it left that is still listed. */
function ghostEdges(task: TaskInfo, sessions: Record<string, SessionInfo>): GraphEdge[] {
  if (isFinalTaskStatus(task.status)) return [];
  return (task.history ?? []).flatMap((step, index) =>
    step.kind === 'rerouted' && step.fromSession && step.fromSession in sessions
      ? [
          {
            id: `${task.id}:was:${index}`,
            source: task.fromSession ?? OWNER_NODE,
            target: step.fromSession,
            title: task.title,
            status: task.status,
            createdAt: task.createdAt,
            ghostOf: task.id,
          },
        ]
      : [],
  );
}

/**
 * Sessions (and "you", when the owner delegated or may route) as nodes, tasks as edges, in layers by
 * delegation depth. With `routing` (the owner's view) "you" is always there, as a source to drag from.
 */
export function delegationGraph(
  sessions: Record<string, SessionInfo>,
  tasks: Record<string, TaskInfo>,
  routing = false,
): { nodes: GraphNode[]; edges: GraphEdge[]; ghosts: GraphEdge[] } {
  const shown = Object.values(tasks)
    .filter(
      (task) => (task.fromSession === null || task.fromSession in sessions) && task.toSession in sessions,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const ghosts = shown.flatMap((task) => ghostEdges(task, sessions));
  const edges: GraphEdge[] = shown.map((task) => ({
    id: task.id,
    source: task.fromSession ?? OWNER_NODE,
    target: task.toSession,
    title: task.title,
    status: task.status,
    createdAt: task.createdAt,
  }));
  const ids = Object.keys(sessions);
  if (routing || edges.some((edge) => edge.source === OWNER_NODE)) ids.unshift(OWNER_NODE);
  const depth = layerDepths(ids, edges);
  const layers = new Map<number, string[]>();
  for (const id of ids) layers.set(depth.get(id)!, [...(layers.get(depth.get(id)!) ?? []), id]);
  const label = (id: string) => (id === OWNER_NODE ? 'you' : sessions[id]!.name);
  const nodes: GraphNode[] = [];
  for (const [layer, members] of layers) {
    members.sort((a, b) => (a === OWNER_NODE ? -1 : b === OWNER_NODE ? 1 : label(a).localeCompare(label(b))));
    members.forEach((id, row) => {
      const session = sessions[id];
      nodes.push({
        id,
        label: label(id),
        status: session?.status ?? 'owner',
        cwd: session?.cwd ?? '',
        kind: session?.kind ?? 'owner',
        worker: Boolean(session?.worker),
        place: workerPlace(session?.worker ?? null),
        branch: session?.worktree ? { name: session.worktree.branch, dirty: session.worktree.dirty } : null,
        usage: session?.usage ? usageLine(session.usage) : null,
        x: layer * LAYER_GAP,
        y: row * ROW_GAP,
      });
    });
  }
  return { nodes, edges, ghosts };
}

/** Breadth-first from nodes nobody delegates to; cycles and isolated nodes stay in layer 0. */
function layerDepths(ids: string[], edges: GraphEdge[]): Map<string, number> {
  const depth = new Map(ids.map((id) => [id, 0]));
  const incoming = new Set(edges.filter((edge) => edge.source !== edge.target).map((edge) => edge.target));
  const queue = ids.filter((id) => !incoming.has(id));
  const seen = new Set(queue);
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const edge of edges) {
      if (edge.source !== id || seen.has(edge.target)) continue;
      seen.add(edge.target);
      depth.set(edge.target, depth.get(id)! + 1);
      queue.push(edge.target);
    }
  }
  return depth;
}

/** "42 s", "5 min", "3 h": how long ago an ISO time was. */
export function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
