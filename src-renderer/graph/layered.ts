// A layered (Sugiyama) layout by dagre: boxes in columns by delegation depth, each edge routed between the
// columns with its own label box (parallel edges get one each), optional clusters, and a shelf below.
import dagreModule from '@dagrejs/dagre';

/** The part of dagre used here: its own types import without file extensions, which this build's module
 * resolution cannot follow, so they are stated here. */
interface DagreGraph {
  setGraph(label: Record<string, unknown>): void;
  setDefaultEdgeLabel(make: () => object): void;
  setNode(id: string, label: object): void;
  setParent(id: string, parent: string): void;
  setEdge(source: string, target: string, label: object, name: string): void;
  node(id: string): unknown;
  edge(source: string, target: string, name: string): unknown;
}
const dagre = dagreModule as unknown as {
  graphlib: { Graph: new (options: { multigraph: boolean; compound: boolean }) => DagreGraph };
  layout(graph: DagreGraph): void;
};

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

export interface LayoutSpec {
  /** Boxes that take part in the layers; `group` puts a box in a cluster (drawn as a frame around it). */
  nodes: Array<{ id: string; width: number; height: number; group?: string }>;
  /** Edges by id; `label` is the size of the label's box. */
  edges: Array<{ id: string; source: string; target: string; label: { width: number; height: number } }>;
  /** Boxes laid out in rows below the layers (sessions with no task): no edges touch them. */
  shelf: Array<{ id: string; width: number; height: number }>;
  /** Cluster titles by cluster id. */
  groups: Record<string, string>;
}

export interface Layout {
  /** Top-left corners and sizes. */
  nodes: Record<string, Box>;
  /** Each edge's route (from the source's box to the target's) and its label's box (top-left). */
  edges: Record<string, { points: Point[]; label: Box }>;
  groups: Array<Box & { id: string; title: string }>;
  /** The frame around the shelf (null: empty shelf). */
  shelf: Box | null;
  width: number;
  height: number;
}

/** Space between columns, between boxes in a column, and around clusters and the shelf. */
export const RANK_SEP = 70;
export const NODE_SEP = 26;
export const EDGE_SEP = 14;
const SHELF_GAP = 70;
const SHELF_PAD = 16;
const SHELF_TITLE = 26;
export const GROUP_TITLE = 22;

let last: { key: string; layout: Layout } | null = null;

/**
 * Lays the spec out; the same spec again (a status changed, not the shape) gets the last layout back, as
 * dagre takes up to a second for hundreds of edges.
 */
export function layOut(spec: LayoutSpec): Layout {
  const key = JSON.stringify(spec);
  if (last?.key === key) return last.layout;
  const layout = compute(spec);
  last = { key, layout };
  return layout;
}

function compute(spec: LayoutSpec): Layout {
  const graph = new dagre.graphlib.Graph({ multigraph: true, compound: true });
  const grouped = new Set(spec.nodes.flatMap((node) => (node.group === undefined ? [] : [node.group])));
  // Between clusters, room for the next one's title (their borders are kept apart as edges are).
  const edgesep = grouped.size > 0 ? EDGE_SEP + 2 * GROUP_TITLE : EDGE_SEP;
  graph.setGraph({ rankdir: 'LR', ranksep: RANK_SEP, nodesep: NODE_SEP, edgesep, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const group of grouped) graph.setNode(group, { label: spec.groups[group] ?? group });
  for (const node of spec.nodes) {
    graph.setNode(node.id, { width: node.width, height: node.height });
    if (node.group !== undefined) graph.setParent(node.id, node.group);
  }
  for (const edge of spec.edges)
    graph.setEdge(
      edge.source,
      edge.target,
      { width: edge.label.width, height: edge.label.height, labelpos: 'c', minlen: 1 },
      edge.id,
    );
  if (spec.nodes.length > 0) dagre.layout(graph);

  const nodes: Record<string, Box> = {};
  let right = 0;
  let bottom = 0;
  // Cluster frames need room for their titles above them: everything moves down by that much.
  const top = grouped.size > 0 ? GROUP_TITLE : 0;
  for (const node of spec.nodes) {
    const placed = graph.node(node.id) as { x: number; y: number };
    const box = {
      x: placed.x - node.width / 2,
      y: placed.y - node.height / 2 + top,
      width: node.width,
      height: node.height,
    };
    nodes[node.id] = box;
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  const edges: Layout['edges'] = {};
  for (const edge of spec.edges) {
    const routed = graph.edge(edge.source, edge.target, edge.id) as { points: Point[]; x: number; y: number };
    const label = {
      x: routed.x - edge.label.width / 2,
      y: routed.y - edge.label.height / 2 + top,
      width: edge.label.width,
      height: edge.label.height,
    };
    // The route leaves the source's right side and enters the target's left side at their middles (where
    // the graph's handles are); dagre's bends between the columns stay.
    const from = nodes[edge.source]!;
    const to = nodes[edge.target]!;
    const points = [
      { x: from.x + from.width, y: from.y + from.height / 2 },
      ...routed.points.slice(1, -1).map((point) => ({ x: point.x, y: point.y + top })),
      { x: to.x, y: to.y + to.height / 2 },
    ];
    edges[edge.id] = { points, label };
    right = Math.max(right, label.x + label.width);
    bottom = Math.max(bottom, label.y + label.height);
  }
  const groups = [...grouped].map((id) => {
    const frame = graph.node(id) as { x: number; y: number; width: number; height: number };
    return {
      id,
      title: spec.groups[id] ?? id,
      x: frame.x - frame.width / 2,
      y: frame.y - frame.height / 2 + top - GROUP_TITLE,
      width: frame.width,
      height: frame.height + GROUP_TITLE,
    };
  });
  for (const group of groups) bottom = Math.max(bottom, group.y + group.height);

  let shelf: Box | null = null;
  if (spec.shelf.length > 0) {
    // Rows as wide as the layers (at least four boxes), below them.
    const cell = Math.max(...spec.shelf.map((node) => node.width)) + NODE_SEP;
    const rowHeight = Math.max(...spec.shelf.map((node) => node.height)) + NODE_SEP;
    const columns = Math.max(4, Math.floor(right / cell), 1);
    const y0 = (spec.nodes.length > 0 ? bottom + SHELF_GAP : 0) + SHELF_TITLE + SHELF_PAD;
    spec.shelf.forEach((node, index) => {
      const column = index % columns;
      const row = Math.floor(index / columns);
      nodes[node.id] = {
        x: SHELF_PAD + column * cell,
        y: y0 + row * rowHeight,
        width: node.width,
        height: node.height,
      };
    });
    const rows = Math.ceil(spec.shelf.length / columns);
    const used = Math.min(columns, spec.shelf.length);
    shelf = {
      x: 0,
      y: y0 - SHELF_TITLE - SHELF_PAD,
      width: used * cell - NODE_SEP + 2 * SHELF_PAD,
      height: SHELF_TITLE + rows * rowHeight - NODE_SEP + 2 * SHELF_PAD,
    };
    right = Math.max(right, shelf.x + shelf.width);
    bottom = shelf.y + shelf.height;
  }
  return { nodes, edges, groups, shelf, width: right, height: bottom };
}

/** Whether two boxes overlap (touching edges do not count). */
export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}
