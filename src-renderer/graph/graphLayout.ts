// The delegation graph as data, laid out in layers: delegators left, the sessions they delegate to right
// (dagre, through `layered.ts`); sessions without tasks on a shelf below; filters and folds applied.
import {
  branchUsage,
  branchUsageShort,
  subtasksOf,
  usageLine,
  isFinalTaskStatus,
  type SessionInfo,
  type SessionStatus,
  type TaskInfo,
  type TaskStatus,
} from '../../src-protocol/index.js';
import { SHOW_ALL, visibleParts, type GraphOptions } from './graphFilters.js';
import { layOut, type Box, type Layout, type Point } from './layered.js';

import { workerPlace, type WorkerPlace } from './workerPlace.js';

export const OWNER_NODE = 'owner';
/** A drop target that starts a new Claude session for the task (issue 17). */
export const NEW_SESSION_NODE = 'new-session';
/** Every node is this wide (the layout's columns line up); its height follows its lines. */
export const NODE_WIDTH = 210;
const LABEL_HEIGHT = 22;
/** A label with the branch's token use under its title line (issue 13 #6). */
const LABEL_HEIGHT_WITH_USAGE = 36;
/** Room kept for the token use line whatever it grows to ("999.9M tok · $999.99"), at 10 px. */
const USAGE_CHARACTERS = 21;
/** A label's text is cut to this many characters of title (the legend and the inspector have it whole). */
const LABEL_TITLE = 34;

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
  /** Sessions below it in the delegation tree (0: a leaf), and whether they are folded away. */
  below: number;
  collapsed: boolean;
  /** On the shelf of sessions without tasks. */
  shelved: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  title: string;
  status: TaskStatus;
  createdAt: string;
  /** The token use of the task and its subtasks ("1.2M tok · $3.10"), once a session in it used any. */
  usage?: string;
  /** A faint edge to where a re-routed task was, shown until it finishes: the task's id (issue 17). */
  ghostOf?: string;
  /** The route between the columns and the label's box, from the layout (ghosts have none). */
  points?: Point[];
  labelBox?: Box;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  ghosts: GraphEdge[];
  /** Repository frames (grouping on). */
  groups: Layout['groups'];
  shelf: Box | null;
  /** Where "new session in…" goes (the owner's view with sessions): in the first column, laid out too. */
  newSession: Box | null;
  width: number;
  height: number;
  /** Sessions left out by the filters and folds. */
  hidden: number;
}

/** The title as an edge's label shows it. */
export const labelTitle = (title: string) =>
  title.length > LABEL_TITLE ? `${title.slice(0, LABEL_TITLE - 1)}…` : title;

/** "title · blocked · 5 min": the label's text. */
export const edgeLabel = (edge: GraphEdge, now: number) =>
  `${labelTitle(edge.title)} · ${edge.status.replace('_', ' ')} · ${age(edge.createdAt, now)}`;

/**
 * The label's box, wide enough for any status and age ("unreported", "59 min": a status change keeps the
 * layout), at 11 px in the UI's sans-serif (at most 6.6 px a character).
 */
function labelSize(edge: GraphEdge) {
  const characters = labelTitle(edge.title).length + 10 + 12;
  const width = Math.ceil(characters * 6.6) + 14;
  if (edge.usage === undefined) return { width, height: LABEL_HEIGHT };
  // The usage line's room is kept from the first token on: its growth never moves the layout again.
  const usageWidth = Math.ceil(Math.max(USAGE_CHARACTERS, edge.usage.length) * 6) + 14;
  return { width: Math.max(width, usageWidth), height: LABEL_HEIGHT_WITH_USAGE };
}

/** Each shown task's branch token use, short (none before any task in the graph used tokens). */
function branchUsages(shown: readonly TaskInfo[], tasks: Record<string, TaskInfo>): Map<string, string> {
  const usages = new Map<string, string>();
  const all = Object.values(tasks);
  if (!all.some((task) => task.usage)) return usages;
  const lookup = { byId: new Map(all.map((task) => [task.id, task])), children: subtasksOf(all) };
  for (const task of shown) {
    const line = branchUsageShort(branchUsage(task.id, all, lookup));
    if (line) usages.set(task.id, line);
  }
  return usages;
}

/** Lines: title, kind, directory, status, then branch, token use and inbox mark when there. */
function nodeHeight(session: SessionInfo | undefined, below: number): number {
  if (!session) return 62;
  const lines = 4 + (session.worktree ? 1 : 0) + (session.usage ? 1 : 0) + 1;
  return 40 + lines * 15 + (below > 0 ? 22 : 0);
}

/** The repository a session works in: its worktree's or worker's repository, else its directory. */
export const repoOf = (session: SessionInfo) => session.worktree?.repo ?? session.worker?.repo ?? session.cwd;
const repoTitle = (repo: string) => repo.split('/').filter(Boolean).at(-1) ?? repo;

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
  options: GraphOptions = SHOW_ALL,
): Graph {
  const shown = Object.values(tasks)
    .filter(
      (task) => (task.fromSession === null || task.fromSession in sessions) && task.toSession in sessions,
    )
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  const usages = branchUsages(shown, tasks);
  const all: GraphEdge[] = shown.map((task) => {
    const usage = usages.get(task.id);
    return {
      id: task.id,
      source: task.fromSession ?? OWNER_NODE,
      target: task.toSession,
      title: task.title,
      status: task.status,
      createdAt: task.createdAt,
      ...(usage === undefined ? {} : { usage }),
    };
  });
  const { edges, folded, below } = visibleParts(all, options);
  const linked = new Set(edges.flatMap((edge) => [edge.source, edge.target]));
  const label = (id: string) => (id === OWNER_NODE ? 'you' : sessions[id]!.name);
  const byLabel = (a: string, b: string) => label(a).localeCompare(label(b)) || a.localeCompare(b);
  const layered = Object.keys(sessions)
    .filter((id) => linked.has(id))
    .sort(byLabel);
  if (routing || linked.has(OWNER_NODE)) layered.unshift(OWNER_NODE);
  const shelved = Object.keys(sessions)
    .filter((id) => !linked.has(id) && !folded.has(id))
    .sort((a, b) => repoOf(sessions[a]!).localeCompare(repoOf(sessions[b]!)) || byLabel(a, b));
  const height = (id: string) => nodeHeight(sessions[id], below.get(id) ?? 0);
  const groups: Record<string, string> = {};
  const withNewSession = routing && Object.keys(sessions).length > 0;
  const layout = layOut({
    nodes: [
      ...(withNewSession ? [{ id: NEW_SESSION_NODE, width: NODE_WIDTH, height: 76 }] : []),
      ...layered.map((id) => {
        const session = sessions[id];
        if (!options.groupByRepo || !session) return { id, width: NODE_WIDTH, height: height(id) };
        const group = `repo:${repoOf(session)}`;
        groups[group] = repoTitle(repoOf(session));
        return { id, width: NODE_WIDTH, height: height(id), group };
      }),
    ],
    edges: edges.map((edge) => ({ ...edge, label: labelSize(edge) })),
    shelf: options.hideIdle ? [] : shelved.map((id) => ({ id, width: NODE_WIDTH, height: height(id) })),
    groups,
  });
  const { [NEW_SESSION_NODE]: newSession, ...placed } = layout.nodes;
  const nodes: GraphNode[] = Object.entries(placed).map(([id, box]) => {
    const session = sessions[id];
    return {
      id,
      label: label(id),
      status: session?.status ?? 'owner',
      cwd: session?.cwd ?? '',
      kind: session?.kind ?? 'owner',
      worker: Boolean(session?.worker),
      place: workerPlace(session?.worker ?? null),
      branch: session?.worktree ? { name: session.worktree.branch, dirty: session.worktree.dirty } : null,
      usage: session?.usage ? usageLine(session.usage) : null,
      below: below.get(id) ?? 0,
      collapsed: options.collapsed.has(id) && (below.get(id) ?? 0) > 0,
      shelved: !linked.has(id) && id !== OWNER_NODE,
      ...box,
    };
  });
  const drawn = new Set(nodes.map((node) => node.id));
  const ghosts = shown
    .flatMap((task) => ghostEdges(task, sessions))
    .filter((ghost) => drawn.has(ghost.source) && drawn.has(ghost.target));
  return {
    nodes,
    edges: edges.map((edge) => ({
      ...edge,
      points: layout.edges[edge.id]!.points,
      labelBox: layout.edges[edge.id]!.label,
    })),
    ghosts,
    groups: layout.groups,
    shelf: layout.shelf,
    newSession: newSession ?? null,
    width: layout.width,
    height: layout.height,
    hidden: Object.keys(sessions).length - nodes.filter((node) => node.id !== OWNER_NODE).length,
  };
}

/** "42 s", "5 min", "3 h": how long ago an ISO time was. */
export function age(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}
