// The delegation graph: sessions as nodes (status colour, directory, kind), tasks as edges (title, status,
// age). Live from the stores; laid out in layers; click a node to focus its pane, an edge to open the task.
// The owner routes from it (issue 17): draw an edge to delegate, drag a queued edge's end to re-route,
// an edge's menu to retry or cancel; each also from the keyboard (Delegate…, the ⋯ buttons, the inspector).
import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  useReactFlow,
  useStore,
  type Connection,
  type Edge,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { isFinalTaskStatus, type SessionInfo } from '../../src-protocol/index.js';
import {
  age,
  delegationGraph,
  LAYER_GAP,
  NEW_SESSION_NODE,
  OWNER_NODE,
  type GraphEdge,
} from '../graph/graphLayout.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';
import type { DelegateDraft } from '../graph/delegateDraft.js';
import { DelegateDialog } from './DelegateDialog.js';
import { EdgeMenu, type EdgeMenuAt } from './EdgeMenu.js';
import { NewSessionNode, SessionNode, type SessionNodeData } from './GraphNodes.js';
import { StatusBadge } from './StatusBadge.js';
import { ViewportMemory } from '../graph/ViewportMemory.js';

const nodeTypes = { session: SessionNode, newSession: NewSessionNode };

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
  return {
    id: edge.id,
    source: edge.source,
    target: edge.target,
    label: `${edge.title} · ${edge.status.replace('_', ' ')} · ${age(edge.createdAt, now)}`,
    animated: !isFinalTaskStatus(edge.status),
    className: `task-edge task-${edge.status}${edge.id === selected ? ' selected' : ''}`,
    markerEnd: { type: MarkerType.ArrowClosed },
    // Only a queued task moves: drag its arrow's end onto another session.
    reconnectable: routing && edge.status === 'queued' ? 'target' : false,
    data: { status: edge.status },
    labelBgPadding: [6, 3] as [number, number],
    labelBgBorderRadius: 4,
  };
}

const FIT = { padding: 0.25, maxZoom: 1.2 };

/**
 * Lays the view out again whenever sessions join or leave the graph (new layers shift the others), and
 * when the graph's own size changes (the task inspector opening beside it), so no node sits out of view.
 */
function AutoFit({ signature, onBusy }: { signature: string; onBusy: (busy: boolean) => void }) {
  const { fitView } = useReactFlow();
  const size = useStore((state) => `${state.width}x${state.height}`);
  useEffect(() => {
    // Busy from the change until the fit's animation ends: nodes move meanwhile, so the graph says so
    // (aria-busy) and anything that clicks a node (a test, an assistive tool) can wait for it to settle.
    // Nothing to fit (React Flow resolves a fit only once there are nodes): nothing moves either.
    if (signature === '') return onBusy(false);
    let current = true;
    onBusy(true);
    const timer = setTimeout(() => {
      void fitView({ ...FIT, duration: 200 }).finally(() => {
        if (current) onBusy(false);
      });
    }, 50);
    // A fit whose transition is cut short (the pane hidden or resized meanwhile) may never settle its
    // promise; the nodes are still well before this, so the graph is not left busy for good.
    const settled = setTimeout(() => {
      if (current) onBusy(false);
    }, 1_000);
    return () => {
      current = false;
      clearTimeout(timer);
      clearTimeout(settled);
    };
  }, [signature, size, fitView, onBusy]);
  return null;
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
  const graph = useMemo(() => delegationGraph(sessions, tasks, routing), [sessions, tasks, routing]);
  // The size React Flow measured for each node, handed back with every new node object: a node given
  // without it is hidden until measured again, and an element whose size did not change is never measured
  // again, so a re-laid-out graph could stay blank (seen under load).
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const onNodesChange = (changes: NodeChange[]) => {
    for (const change of changes)
      if (change.type === 'dimensions' && change.dimensions)
        measured.current.set(change.id, change.dimensions);
  };
  const nodes = useMemo(() => {
    const laidOut: Array<Node<SessionNodeData | { routing: boolean }>> = graph.nodes.map((node) => ({
      id: node.id,
      type: 'session',
      position: { x: node.x, y: node.y },
      data: { ...node, routing },
      draggable: true,
    }));
    if (routing && graph.nodes.length > 1)
      laidOut.push({
        id: NEW_SESSION_NODE,
        type: 'newSession',
        position: { x: Math.max(...graph.nodes.map((node) => node.x)) + LAYER_GAP, y: 0 },
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
  return (
    <div className="graph" data-testid="graph" aria-busy={fitting}>
      {graph.nodes.length === 0 ? <p className="empty graph-empty">No sessions yet.</p> : null}
      {routing ? (
        <div className="graph-toolbar">
          <button
            type="button"
            onClick={() => setDraft({ from: OWNER_NODE, to: Object.keys(sessions)[0] ?? NEW_SESSION_NODE })}
          >
            Delegate…
          </button>
          <span className="muted">or drag from a node&apos;s right edge to a session</span>
          {error ? (
            <span className="error" role="alert">
              {error}
            </span>
          ) : null}
        </div>
      ) : null}
      <ReactFlow
        nodes={nodes}
        onNodesChange={onNodesChange}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={FIT}
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
            : node.id !== OWNER_NODE && showPane(node.id)
        }
        onEdgeClick={(_, edge) => !edge.id.includes(':was:') && setUi({ selectedTask: edge.id })}
        onEdgeContextMenu={(event, edge) => {
          if (!routing || edge.id.includes(':was:')) return;
          event.preventDefault();
          setMenu({ task: edge.id, x: event.clientX, y: event.clientY });
        }}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <AutoFit
          signature={graph.nodes.map((node) => `${node.id}@${node.x},${node.y}`).join('|')}
          onBusy={setFitting}
        />
        <ViewportMemory fitting={fitting} />
      </ReactFlow>
      <ul className="graph-legend" data-testid="graph-edges">
        {graph.edges.map((edge) => (
          <li key={edge.id}>
            {/* The row's own part (one button, the status) apart from its menu button. */}
            <span data-testid={`edge-${edge.title}`} data-status={edge.status}>
              <button type="button" className="link" onClick={() => setUi({ selectedTask: edge.id })}>
                {sessions[edge.source]?.name ?? 'you'} → {sessions[edge.target]?.name ?? '?'}: {edge.title}
              </button>{' '}
              <StatusBadge status={edge.status} />
            </span>
            {routing ? (
              <button
                type="button"
                className="small"
                aria-label={`Actions for ${edge.title}`}
                onClick={(event) => {
                  const box = event.currentTarget.getBoundingClientRect();
                  setMenu({ task: edge.id, x: box.left, y: box.top - 8 });
                }}
              >
                ⋯
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {menu ? <EdgeMenu at={menu} onClose={() => setMenu(null)} /> : null}
      {draft ? <DelegateDialog draft={draft} onClose={() => setDraft(null)} /> : null}
    </div>
  );
}
