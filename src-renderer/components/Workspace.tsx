// Tabs of open panes over a grid of 1, 2 or 4 slots; panes outside the grid stay attached but hidden.
// The grid draws its panes in tab order, with draggable splits; tabs drag to reorder (issue 13 item 7).
import { paneHost } from '../hub/paneHosts.js';
import { hubStateOf, LOCAL_HUB, paneRef } from '../state/hubs.js';
import { usePanels } from '../state/panelLayout.js';
import { useApp } from '../state/store.js';
import { KEYS, keysHere } from '../shortcuts.js';
import { cellsBySlot } from '../state/tabOrder.js';
import { GridSplitters, gridTemplate } from './GridSplitters.js';
import { StatusBadge } from './StatusBadge.js';
import { useTabDrag } from './tabDrag.js';
import { TerminalPane } from './TerminalPane.js';
import './layout.css';

const AREAS = { 1: '"s0"', 2: '"s0 s1"', 4: '"s0 s1" "s2 s3"' } as const;

function Tabs() {
  const layout = useApp((state) => state.ui.layout);
  const local = useApp((state) => state.hub);
  const remotes = useApp((state) => state.remotes);
  const { showPane, closePane } = useApp.getState();
  const { tabProps, markOf } = useTabDrag();
  const focused = layout.slots[layout.focused];
  return (
    <nav className="tabs" aria-label="Open panes">
      {layout.open.map((id, index) => {
        const ref = paneRef(id);
        const info = hubStateOf({ hub: local, remotes }, ref.hub).sessions[ref.session];
        const where = ref.hub === LOCAL_HUB ? '' : ` @ ${remotes[ref.hub]?.name ?? ref.hub}`;
        return (
          <div
            key={id}
            className={`tab${id === focused ? ' active' : ''}${layout.slots.includes(id) ? ' visible' : ''}${markOf(id)}`}
            data-testid={`tab-${info?.name ?? id}`}
            data-pane-tab={id}
            {...tabProps(id)}
          >
            <button
              type="button"
              className="tab-main"
              onClick={() => showPane(id)}
              title={`Alt+${index + 1}`}
            >
              {info ? <StatusBadge status={info.status} compact /> : null}
              {info?.name ?? ref.session.slice(0, 8)}
              {where ? <span className="tab-hub">{where}</span> : null}
            </button>
            <button
              type="button"
              className="tab-close"
              aria-label={`Close ${info?.name ?? id}`}
              onClick={() => {
                paneHost(ref.hub)?.releaseController(ref.session);
                closePane(id);
              }}
            >
              ×
            </button>
          </div>
        );
      })}
    </nav>
  );
}

/** Stays mounted while the graph is shown (`shown` false), so terminals keep their state and parse output. */
export function Workspace({ shown }: { shown: boolean }) {
  const layout = useApp((state) => state.ui.layout);
  const setUi = useApp((state) => state.setUi);
  const owner = useApp((state) => state.hub.self?.role === 'owner');
  const splits = usePanels((state) => state.splits);
  const template = gridTemplate(layout.grid, splits);
  const cells = cellsBySlot(layout);
  return (
    <div className={`workspace${shown ? '' : ' offscreen'}`}>
      <Tabs />
      <div
        className={`grid grid-${layout.grid}`}
        style={{
          gridTemplateAreas: AREAS[layout.grid],
          gridTemplateColumns: template.columns,
          gridTemplateRows: template.rows,
        }}
      >
        {layout.slots.map((slot, index) =>
          slot === null ? (
            <div key={`empty-${index}`} className="pane empty-pane" style={{ gridArea: `s${cells[index]}` }}>
              <p>Pick a session on the left{owner ? ', or ' : '.'}</p>
              {owner ? (
                <button type="button" className="primary" onClick={() => setUi({ dialog: 'new-session' })}>
                  Start a new session
                </button>
              ) : null}
              <p className="muted" data-testid="empty-pane-keys">
                {keysHere(KEYS.newSession)} new session · {keysHere(KEYS.grid)} grid · {keysHere(KEYS.graph)}{' '}
                graph
              </p>
            </div>
          ) : null,
        )}
        {layout.open.map((id) => (
          <TerminalPane
            key={id}
            session={id}
            slot={layout.slots.indexOf(id)}
            cell={cells[layout.slots.indexOf(id)]}
            focused={layout.slots[layout.focused] === id}
            shown={shown}
          />
        ))}
        <GridSplitters grid={layout.grid} />
      </div>
    </div>
  );
}
