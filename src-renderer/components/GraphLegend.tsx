// The delegation graph's task list: every shown task as a row (open it, its status, its actions), in a
// box of bounded size that scrolls, and folds to its title line.
import type { SessionInfo } from '../../src-protocol/index.js';
import type { GraphEdge } from '../graph/graphLayout.js';
import { useGraphPrefs } from '../graph/graphPrefs.js';
import { useApp } from '../state/store.js';
import type { EdgeMenuAt } from './EdgeMenu.js';
import { StatusBadge } from './StatusBadge.js';

export function GraphLegend({
  edges,
  sessions,
  routing,
  onMenu,
}: {
  edges: GraphEdge[];
  sessions: Record<string, SessionInfo>;
  routing: boolean;
  onMenu: (at: EdgeMenuAt) => void;
}) {
  const open = useGraphPrefs((state) => state.legendOpen);
  const set = useGraphPrefs((state) => state.set);
  const { setUi } = useApp.getState();
  if (edges.length === 0) return null;
  return (
    <div className="graph-legend" data-testid="graph-legend">
      <button
        type="button"
        className="link graph-legend-title"
        aria-expanded={open}
        onClick={() => set({ legendOpen: !open })}
      >
        {open ? '▾' : '▸'} Tasks ({edges.length})
      </button>
      {open ? (
        <ul data-testid="graph-edges">
          {edges.map((edge) => (
            <li key={edge.id}>
              {/* The row's own part (one button, the status) apart from its menu button. */}
              <span data-testid={`edge-${edge.title}`} data-status={edge.status}>
                <button type="button" className="link" onClick={() => setUi({ selectedTask: edge.id })}>
                  {sessions[edge.source]?.name ?? 'you'} → {sessions[edge.target]?.name ?? '?'}: {edge.title}
                </button>{' '}
                <StatusBadge status={edge.status} task />
              </span>
              {routing ? (
                <button
                  type="button"
                  className="small"
                  aria-label={`Actions for ${edge.title}`}
                  onClick={(event) => {
                    const box = event.currentTarget.getBoundingClientRect();
                    onMenu({ task: edge.id, x: box.left, y: box.top - 8 });
                  }}
                >
                  ⋯
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
