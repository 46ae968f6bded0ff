// The delegation graph: sessions as nodes (status colour, directory, kind), tasks as edges (title, status,
// age). Live from the stores; laid out in layers; click a node to focus its pane, an edge to open the task.
import {
  Background,
  Controls,
  Handle,
  MarkerType,
  Position,
  ReactFlow,
  useReactFlow,
  useStore,
  type Edge,
  type Node,
  type NodeProps,
} from '@xyflow/react';
import { useEffect, useMemo, useState } from 'react';
import { isFinalTaskStatus } from '../../src-protocol/index.js';
import { age, delegationGraph, OWNER_NODE, type GraphNode } from '../graph/graphLayout.js';
import { InboxMark, useInboxCount } from '../inbox/InboxMark.js';
import { useApp } from '../state/store.js';
import { BranchChip } from './BranchChip.js';
import { StatusBadge } from './StatusBadge.js';

type SessionNodeData = GraphNode & Record<string, unknown>;

function SessionNode({ data }: NodeProps<Node<SessionNodeData>>) {
  const waiting = useInboxCount(data.id);
  return (
    <div
      className={`graph-node status-${data.status}${waiting > 0 ? ' has-inbox' : ''}`}
      data-testid={`graph-node-${data.label}`}
    >
      <Handle type="target" position={Position.Left} />
      <div className="graph-node-title">
        <StatusBadge status={data.status} compact />
        <strong>{data.label}</strong>
      </div>
      {data.id !== OWNER_NODE ? (
        <div className="graph-node-meta">
          <span>
            {data.kind === 'claude' ? 'claude' : 'command'} · {data.worker ? 'worker' : 'local'}
          </span>
          <span className="graph-node-cwd" title={data.cwd}>
            {data.cwd.split('/').filter(Boolean).at(-1) ?? data.cwd}
          </span>
          {data.branch ? <BranchChip branch={data.branch.name} dirty={data.branch.dirty} /> : null}
          <span>{data.status}</span>
          {data.usage ? <span data-testid="node-usage">{data.usage}</span> : null}
          <InboxMark count={waiting} session={data.id} />
        </div>
      ) : (
        <div className="graph-node-meta">the owner</div>
      )}
      <Handle type="source" position={Position.Right} />
    </div>
  );
}

const nodeTypes = { session: SessionNode };
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
  const now = useNow(5000);
  const [fitting, setFitting] = useState(true);
  const graph = useMemo(() => delegationGraph(sessions, tasks), [sessions, tasks]);
  const nodes: Array<Node<SessionNodeData>> = graph.nodes.map((node) => ({
    id: node.id,
    type: 'session',
    position: { x: node.x, y: node.y },
    data: node as SessionNodeData,
    draggable: true,
  }));
  const edges: Edge[] = graph.edges.map((edge) => {
    const open = !isFinalTaskStatus(edge.status);
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: `${edge.title} · ${edge.status.replace('_', ' ')} · ${age(edge.createdAt, now)}`,
      animated: open,
      className: `task-edge task-${edge.status}${edge.id === selected ? ' selected' : ''}`,
      markerEnd: { type: MarkerType.ArrowClosed },
      data: { status: edge.status },
      labelBgPadding: [6, 3] as [number, number],
      labelBgBorderRadius: 4,
    };
  });
  return (
    <div className="graph" data-testid="graph" aria-busy={fitting}>
      {graph.nodes.length === 0 ? <p className="empty graph-empty">No sessions yet.</p> : null}
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={FIT}
        proOptions={{ hideAttribution: true }}
        nodesConnectable={false}
        onNodeClick={(_, node) => node.id !== OWNER_NODE && showPane(node.id)}
        onEdgeClick={(_, edge) => setUi({ selectedTask: edge.id })}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
        <AutoFit
          signature={graph.nodes.map((node) => `${node.id}@${node.x},${node.y}`).join('|')}
          onBusy={setFitting}
        />
      </ReactFlow>
      <ul className="graph-legend" data-testid="graph-edges">
        {graph.edges.map((edge) => (
          <li key={edge.id} data-testid={`edge-${edge.title}`} data-status={edge.status}>
            <button type="button" className="link" onClick={() => setUi({ selectedTask: edge.id })}>
              {sessions[edge.source]?.name ?? 'you'} → {sessions[edge.target]?.name ?? '?'}: {edge.title}
            </button>{' '}
            <StatusBadge status={edge.status} />
          </li>
        ))}
      </ul>
    </div>
  );
}
