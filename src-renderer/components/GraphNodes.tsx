// The graph's nodes: a session (status, kind, directory, branch, token use, open inbox items, a fold toggle
// for its subtree), the "new session in…" drop target, and frames (a repository's group, the shelf).
// Routing (issue 17): the whole node is a drop target for a drawn edge; the right edge starts one.
import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { NODE_WIDTH, OWNER_NODE, type GraphNode } from '../graph/graphLayout.js';
import { useGraphPrefs } from '../graph/graphPrefs.js';
import { InboxMark, useInboxCount } from '../inbox/InboxMark.js';
import { BranchChip } from './BranchChip.js';
import { StatusBadge } from './StatusBadge.js';

export type SessionNodeData = GraphNode & { routing: boolean } & Record<string, unknown>;

/** With routing, the target handle covers the node, so an edge dropped anywhere on it connects. */
function DropTarget({ routing }: { routing: boolean }) {
  return (
    <Handle
      type="target"
      position={Position.Left}
      isConnectableStart={false}
      className={routing ? 'drop-target' : undefined}
    />
  );
}

/** Folds the sessions below this one away (with how many), or brings them back. */
function FoldToggle({ data }: { data: SessionNodeData }) {
  const toggleFold = useGraphPrefs((state) => state.toggleFold);
  if (data.below === 0) return null;
  return (
    <button
      type="button"
      className="small fold-toggle nodrag nopan"
      data-testid="fold-toggle"
      aria-expanded={!data.collapsed}
      title={data.collapsed ? 'Show the sessions it delegated to' : 'Hide the sessions it delegated to'}
      onClick={(event) => {
        event.stopPropagation();
        toggleFold(data.id);
      }}
    >
      {data.collapsed ? `▸ ${data.below} hidden` : `▾ ${data.below} below`}
    </button>
  );
}

export function SessionNode({ data }: NodeProps<Node<SessionNodeData>>) {
  const waiting = useInboxCount(data.id);
  return (
    <div
      className={`graph-node status-${data.status}${waiting > 0 ? ' has-inbox' : ''}`}
      data-testid={`graph-node-${data.label}`}
      style={{ width: data.width }}
    >
      {data.id !== OWNER_NODE ? <DropTarget routing={data.routing} /> : null}
      <div className="graph-node-title">
        <StatusBadge status={data.status} compact />
        <strong>{data.label}</strong>
      </div>
      {data.id !== OWNER_NODE ? (
        <div className="graph-node-meta">
          <span>
            {data.kind === 'claude' ? 'claude' : 'command'} ·{' '}
            <span className={`place-${data.place.kind}`} title={data.place.title} data-testid="node-place">
              {data.worker && data.place.kind !== 'pod' ? 'worker' : data.place.text}
            </span>
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
      <FoldToggle data={data} />
      <Handle
        type="source"
        position={Position.Right}
        className={data.routing ? 'drag-source' : undefined}
        title={data.routing ? 'Drag to a session to delegate a task' : undefined}
      />
    </div>
  );
}

export function NewSessionNode({ data }: NodeProps<Node<{ routing: boolean }>>) {
  return (
    <div
      className="graph-node new-session-node"
      data-testid="graph-node-new-session"
      style={{ width: NODE_WIDTH }}
    >
      <DropTarget routing={data.routing} />
      <div className="graph-node-title">
        <strong>+ new session in…</strong>
      </div>
      <div className="graph-node-meta">drop here to start a Claude session for the task</div>
    </div>
  );
}

export type FrameData = { title: string; testId: string; width: number; height: number } & Record<
  string,
  unknown
>;

/** A frame behind nodes: a repository's sessions (grouping on), or the shelf of sessions without tasks. */
export function FrameNode({ data }: NodeProps<Node<FrameData>>) {
  return (
    <div className="graph-frame" data-testid={data.testId} style={{ width: data.width, height: data.height }}>
      <span className="graph-frame-title">{data.title}</span>
    </div>
  );
}
