// Keeps this window's arrangement (state/persist.ts) in localStorage under the hub that served the page,
// and brings it back once, after the first session list of the window's own hub (so panes of sessions
// that are gone are dropped, and the rest attach again as they would after a click).
import { OWNER_NODE } from '../graph/graphLayout.js';
import { useGraphPrefs } from '../graph/graphPrefs.js';
import { LOCAL_HUB, paneRef } from './hubs.js';
import {
  parseWindow,
  restoreFolded,
  restoreLayout,
  restoreModes,
  serializeWindow,
  windowKey,
  type SavedGraphView,
  type SavedViewport,
} from './persist.js';
import { useApp } from './store.js';

let restored = false;
let viewport: SavedViewport | null = null;

/** The hub this page belongs to: the page's origin is the hub's (the desktop app has one hub). */
const key = () => windowKey(window.location.host || 'desktop');

function read(): string | null {
  try {
    return window.localStorage.getItem(key());
  } catch {
    return null;
  }
}

/** The graph's filters, grouping and folded subtrees as stored. */
function graphView(): SavedGraphView {
  const { hideFinished, hideIdle, groupByRepo, collapsed } = useGraphPrefs.getState();
  return { hideFinished, hideIdle, groupByRepo, collapsed: [...collapsed] };
}

function write(): void {
  const { layout, modes, view } = useApp.getState().ui;
  try {
    window.localStorage.setItem(
      key(),
      serializeWindow({ layout, modes, view, graphViewport: viewport, graph: graphView() }),
    );
  } catch {
    // Storage disabled or full: the arrangement lasts for this page only.
  }
}

/** Once per page: restores the stored arrangement (when nothing is open yet), then keeps it stored. */
export function restoreWindow(): void {
  if (restored) return;
  restored = true;
  const saved = parseWindow(read());
  const { hub, ui, setUi } = useApp.getState();
  if (saved?.graph) {
    // What the graph hides, its grouping and its folds (a fold of a session that is gone is dropped).
    const { hideFinished, hideIdle, groupByRepo, collapsed } = saved.graph;
    const exists = (node: string) => node === OWNER_NODE || node in hub.sessions;
    useGraphPrefs
      .getState()
      .set({ hideFinished, hideIdle, groupByRepo, collapsed: restoreFolded(collapsed, exists) });
  }
  if (saved && ui.layout.open.length === 0) {
    // Joined hubs are not joined again by a reload: only the window's own hub's panes come back.
    const exists = (pane: string) => paneRef(pane).hub === LOCAL_HUB && pane in hub.sessions;
    const layout = restoreLayout(saved.layout, exists);
    // The graph's viewport first, so a graph view brought back opens at it instead of fitting.
    viewport = saved.graphViewport;
    useGraphPrefs.getState().set({ viewport });
    setUi({ layout, modes: restoreModes(saved.modes, layout.open), view: saved.view });
  }
  // The viewport the user chose in the graph (graph/graphPrefs.ts; null once they fit it again).
  useGraphPrefs.subscribe((state, previous) => {
    const graphChanged =
      state.hideFinished !== previous.hideFinished ||
      state.hideIdle !== previous.hideIdle ||
      state.groupByRepo !== previous.groupByRepo ||
      state.collapsed !== previous.collapsed;
    if (state.viewport === previous.viewport && !graphChanged) return;
    viewport = state.viewport;
    write();
  });
  useApp.subscribe((state, previous) => {
    const now = state.ui;
    const before = previous.ui;
    if (now.layout !== before.layout || now.modes !== before.modes || now.view !== before.view) write();
  });
}
