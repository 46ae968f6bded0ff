// The delegation graph: sessions as nodes (status colour, directory, kind), tasks as edges (title, status,
// age). Live from the stores; laid out in layers; click a node to focus its pane, an edge to open the task.
// The owner routes from it (issue 17): draw an edge to delegate, drag a queued edge's end to re-route,
// an edge's menu to retry or cancel; each also from the keyboard (Delegate…, the ⋯ buttons, the inspector).
import {
  Background,
  MarkerType,
  ReactFlow,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isFinalTaskStatus, type SessionInfo } from '../../src-protocol/index.js';
import {
  delegationGraph,
  edgeLabel,
  NEW_SESSION_NODE,
  OWNER_NODE,
  type Graph,
  type GraphEdge,
} from '../graph/graphLayout.js';
import { useGraphPrefs } from '../graph/graphPrefs.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';
import type { DelegateDraft } from '../graph/delegateDraft.js';
import { DelegateDialog } from './DelegateDialog.js';
import { EdgeMenu, type EdgeMenuAt } from './EdgeMenu.js';
import { GraphFilterBar } from './GraphFilterBar.js';
import { GraphLegend } from './GraphLegend.js';
import {
  FrameNode,
  NewSessionNode,
  SessionNode,
  type FrameData,
  type SessionNodeData,
} from './GraphNodes.js';
import { GraphViewport } from './GraphViewport.js';
import { TaskEdge, type TaskEdgeData } from './TaskEdge.js';
import '../graph/graph.css';

const nodeTypes = { session: SessionNode, newSession: NewSessionNode, frame: FrameNode };
const edgeTypes = { task: TaskEdge };
/** Nodes and edges past which the graph counts as large. */
const LARGE_GRAPH = 80;

/** A drawn edge may end on a live Claude session or "new session in…", never where it starts. */
function canReceive(sessions: Record<string, SessionInfo>, target: string | null, source: string | null) {
  if (!target || target === source) return false;
  if (target === NEW_SESSION_NODE) return true;
  const session = sessions[target];
  return session !== undefined && session.kind === 'claude' && session.status !== 'ended';
}

function taskEdge(edge: GraphEdge, now: number, selected: string | null, routing: boolean): Edge {
  if (edge.ghostOf)
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      className: 'task-edge ghost',
      selectable: false,
      reconnectable: false,
      data: { ghostOf: edge.ghostOf },
    };
  const data: TaskEdgeData = {
    status: edge.status,
    points: edge.points,
    labelBox: edge.labelBox,
    ...(edge.usage === undefined ? {} : { usage: edge.usage }),
  };
  return {
    id: edge.id,
    type: 'task',
    source: edge.source,
    target: edge.target,
    label: edgeLabel(edge, now),
    animated: !isFinalTaskStatus(edge.status),
    className: `task-edge task-${edge.status}${edge.id === selected ? ' selected' : ''}`,
    markerEnd: { type: MarkerType.ArrowClosed },
    // Only a queued task moves: drag its arrow's end onto another session.
    reconnectable: routing && edge.status === 'queued' ? 'target' : false,
    data,
  };
}

/** Frames behind the sessions: one per repository (grouping on) and the shelf of sessions without tasks. */
function frames(graph: Graph): Array<Node<FrameData>> {
  const frame = (
    id: string,
    box: { x: number; y: number; width: number; height: number },
    title: string,
    testId: string,
  ) => ({
    id,
    type: 'frame',
    position: { x: box.x, y: box.y },
    data: { title, testId, width: box.width, height: box.height },
    draggable: false,
    selectable: false,
    connectable: false,
    focusable: false,
    zIndex: -1,
  });
  const list = graph.groups.map((group) =>
    frame(`frame:${group.id}`, group, group.title, `graph-group-${group.title}`),
  );
  if (graph.shelf) list.push(frame('frame:shelf', graph.shelf, 'Sessions without tasks', 'graph-shelf'));
  return list;
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export function GraphView() {
  const sessions = useApp((state) => state.hub.sessions);
  const tasks = useApp((state) => state.hub.tasks);
  const selected = useApp((state) => state.ui.selectedTask);
  const { showPane, setUi } = useApp.getState();
  // Only the owner routes (issue 17): an invitee's graph has nothing to drag and no actions.
  const routing = useApp((state) => state.hub.self?.role === 'owner');
  const now = useNow(5000);
  const [fitting, setFitting] = useState(true);
  const [draft, setDraft] = useState<DelegateDraft | null>(null);
  const [menu, setMenu] = useState<EdgeMenuAt | null>(null);
  const [error, setError] = useState('');
  const prefs = useGraphPrefs();
  const options = useMemo(
    () => ({
      hideFinished: prefs.hideFinished,
      hideIdle: prefs.hideIdle,
      groupByRepo: prefs.groupByRepo,
      collapsed: prefs.collapsed,
    }),
    [prefs.hideFinished, prefs.hideIdle, prefs.groupByRepo, prefs.collapsed],
  );
  const graph = useMemo(
    () => delegationGraph(sessions, tasks, routing, options),
    [sessions, tasks, routing, options],
  );
  // The size React Flow measured for each node, handed back with every new node object: a node given
  // without it is hidden until measured again, and an element whose size did not change is never measured
  // again, so a re-laid-out graph could stay blank (seen under load).
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const onNodesChange = (changes: NodeChange[]) => {
    for (const change of changes)
      if (change.type === 'dimensions' && change.dimensions)
        measured.current.set(change.id, change.dimensions);
  };
  const sessionNodes = graph.nodes.filter((node) => node.id !== OWNER_NODE);
  const nodes = useMemo(() => {
    const laidOut: Array<Node<SessionNodeData | FrameData | { routing: boolean }>> = [
      ...frames(graph),
      ...graph.nodes.map((node) => ({
        id: node.id,
        type: 'session',
        position: { x: node.x, y: node.y },
        data: { ...node, routing },
        draggable: true,
      })),
    ];
    if (routing && graph.newSession)
      laidOut.push({
        id: NEW_SESSION_NODE,
        type: 'newSession',
        position: { x: graph.newSession.x, y: graph.newSession.y },
        data: { routing },
        draggable: true,
      });
    return laidOut.map((node) => {
      const size = measured.current.get(node.id);
      return size ? { ...node, measured: size } : node;
    });
  }, [graph, routing]);
  const edges: Edge[] = [...graph.ghosts, ...graph.edges].map((edge) =>
    taskEdge(edge, now, selected, routing),
  );
  const reroute = (task: string, to: string) =>
    void appSession.rerouteTask(task, to).then(
      () => setError(''),
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
  const empty = Object.keys(sessions).length === 0;
  // A big graph draws only what is in view, and holds its animations still (graph.css): panning and
  // zooming stay smooth (bench/graph.mjs).
  const large = graph.nodes.length + graph.edges.length > LARGE_GRAPH;
  return (
    <div className={large ? 'graph large' : 'graph'} data-testid="graph" aria-busy={fitting}>
      {empty ? (
        <p className="empty graph-empty" data-testid="graph-empty">
          No sessions yet.
        </p>
      ) : sessionNodes.length === 0 ? (
        <p className="empty graph-empty">Nothing to show with these filters.</p>
      ) : null}
      <div className="graph-bar">
        {routing ? (
          <div className="graph-toolbar">
            <button
              type="button"
              onClick={() => setDraft({ from: OWNER_NODE, to: Object.keys(sessions)[0] ?? NEW_SESSION_NODE })}
              title="Hand a task to a session (or drag from a node's right edge to a session)"
            >
              Delegate…
            </button>
            <span className="muted graph-drag-hint">or drag from a node&apos;s right edge to a session</span>
            {error ? (
              <span className="error" role="alert">
                {error}
              </span>
            ) : null}
          </div>
        ) : null}
        {empty ? null : <GraphFilterBar hidden={graph.hidden} />}
      </div>
      <ReactFlow
        nodes={nodes}
        onNodesChange={onNodesChange}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultViewport={prefs.viewport ?? undefined}
        minZoom={0.1}
        onlyRenderVisibleElements={large}
        proOptions={{ hideAttribution: true }}
        nodesConnectable={routing}
        edgesReconnectable={routing}
        isValidConnection={(connection) => canReceive(sessions, connection.target, connection.source)}
        onConnect={(connection: Connection) => setDraft({ from: connection.source, to: connection.target })}
        onReconnect={(old, connection) =>
          connection.target !== old.target &&
          connection.target !== NEW_SESSION_NODE &&
          reroute(old.id, connection.target)
        }
        onNodeClick={(_, node) =>
          node.id === NEW_SESSION_NODE
            ? routing && setDraft({ from: OWNER_NODE, to: NEW_SESSION_NODE })
            : node.type === 'session' && node.id !== OWNER_NODE && showPane(node.id)
        }
        onEdgeClick={(_, edge) => !edge.id.includes(':was:') && setUi({ selectedTask: edge.id })}
        onEdgeContextMenu={(event, edge) => {
          if (!routing || edge.id.includes(':was:')) return;
          event.preventDefault();
          setMenu({ task: edge.id, x: event.clientX, y: event.clientY });
        }}
      >
        <Background gap={24} />
        <GraphViewport
          signature={graph.nodes.map((node) => `${node.id}@${node.x},${node.y}`).join('|')}
          extent={{ width: graph.width, height: graph.height }}
          onBusy={setFitting}
        />
      </ReactFlow>
      <GraphLegend edges={graph.edges} sessions={sessions} routing={routing} onMenu={setMenu} />
      {menu ? <EdgeMenu at={menu} onClose={() => setMenu(null)} /> : null}
      {draft ? <DelegateDialog draft={draft} onClose={() => setDraft(null)} /> : null}
    </div>
  );
}
