// The app store (zustand): the hub projection (through `applyHubEvent`) plus UI state. Components select
// narrowly; terminal bytes never pass through here.
import { create } from 'zustand';
import type { AttachMode, HubMessage } from '../../src-protocol/index.js';
import type { ThemeName } from '../terminal/themes.js';
import { applyHubEvent, initialHubState, type HubState, type LocalEvent } from './hubState.js';
import { applyRemoteEvent, hubStateOf, paneRef, withRemote, type RemoteHub } from './hubs.js';
import {
  closePane,
  cyclePane,
  emptyLayout,
  setGrid,
  showPane,
  type GridSize,
  type Layout,
} from './layout.js';

export type ConnectionState = 'connecting' | 'open' | 'closed' | 'login';
export type View = 'terminals' | 'graph';

export interface UiState {
  connection: ConnectionState;
  connectionDetail: string;
  /** The hub sent this browser away on purpose (revoked invite, kicked): no automatic reconnect. */
  sentAway: 'revoked' | 'kicked' | 'refused' | 'hub_stopping' | null;
  view: View;
  layout: Layout;
  /** The mode each open pane asked for. */
  modes: Record<string, AttachMode>;
  /** The last input hint per pane (observer typing, lease held), with a counter so repeats re-show it. */
  hints: Record<string, { text: string; serial: number; at: number }>;
  paneStatus: Record<string, string>;
  selectedTask: string | null;
  dialog: 'new-session' | 'share' | 'connect-hub' | null;
  noticesOpen: boolean;
  theme: ThemeName;
  webgl: boolean;
  /** Selecting text in a terminal copies it (the right-click menu's setting, kept in this browser). */
  copyOnSelect: boolean;
  searchOpen: boolean;
}

export interface AppState {
  hub: HubState;
  /** Hubs joined with an invite link, by this window's id for each (hubs.ts). */
  remotes: Record<string, RemoteHub>;
  ui: UiState;
  dispatch: (event: HubMessage | LocalEvent) => void;
  /** `applyHubEvent` on a joined hub's own projection. */
  dispatchRemote: (id: string, event: HubMessage | LocalEvent) => void;
  /** Adds or changes a joined hub; `null` forgets it. */
  setRemote: (id: string, patch: Partial<RemoteHub> | null) => void;
  setUi: (patch: Partial<UiState>) => void;
  showPane: (session: string, mode?: AttachMode) => void;
  closePane: (session: string) => void;
  setGrid: (grid: GridSize) => void;
  cyclePane: (delta: number) => void;
  focusSlot: (index: number) => void;
  setMode: (session: string, mode: AttachMode) => void;
  hint: (session: string, text: string) => void;
}

const stored = (key: string): string | null => {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
};

function initialTheme(): ThemeName {
  const saved = stored('switchboard.theme');
  if (saved === 'dark' || saved === 'light') return saved;
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

/** `?webgl=0` (or the setting) keeps every pane on the DOM renderer. */
function initialWebgl(): boolean {
  const query = new URLSearchParams(window.location.search).get('webgl');
  if (query !== null) return query !== '0';
  return stored('switchboard.webgl') !== '0';
}

export const useApp = create<AppState>()((set) => ({
  hub: initialHubState,
  remotes: {},
  ui: {
    connection: 'connecting',
    connectionDetail: '',
    sentAway: null,
    view: 'terminals',
    layout: emptyLayout,
    modes: {},
    hints: {},
    paneStatus: {},
    selectedTask: null,
    dialog: null,
    noticesOpen: false,
    theme: initialTheme(),
    webgl: initialWebgl(),
    copyOnSelect: stored('switchboard.copyOnSelect') === '1',
    searchOpen: false,
  },
  dispatch: (event) =>
    set((state) => {
      const hub = applyHubEvent(state.hub, event, Date.now());
      return hub === state.hub ? state : { hub };
    }),
  dispatchRemote: (id, event) =>
    set((state) => {
      const remotes = applyRemoteEvent(state.remotes, id, event, Date.now());
      return remotes === state.remotes ? state : { remotes };
    }),
  setRemote: (id, patch) => set((state) => ({ remotes: withRemote(state.remotes, id, patch) })),
  setUi: (patch) => set((state) => ({ ui: { ...state.ui, ...patch } })),
  showPane: (session, mode) =>
    set((state) => ({
      ui: {
        ...state.ui,
        view: 'terminals',
        layout: showPane(state.ui.layout, session),
        modes: { ...state.ui.modes, [session]: mode ?? paneMode(state, session) },
      },
    })),
  closePane: (session) =>
    set((state) => {
      const modes = { ...state.ui.modes };
      delete modes[session];
      return { ui: { ...state.ui, layout: closePane(state.ui.layout, session), modes } };
    }),
  setGrid: (grid) => set((state) => ({ ui: { ...state.ui, layout: setGrid(state.ui.layout, grid) } })),
  cyclePane: (delta) => set((state) => ({ ui: { ...state.ui, layout: cyclePane(state.ui.layout, delta) } })),
  focusSlot: (index) =>
    set((state) =>
      state.ui.layout.focused === index
        ? state
        : { ui: { ...state.ui, layout: { ...state.ui.layout, focused: index } } },
    ),
  setMode: (session, mode) =>
    set((state) => ({ ui: { ...state.ui, modes: { ...state.ui.modes, [session]: mode } } })),
  hint: (session, text) =>
    set((state) => ({
      ui: {
        ...state.ui,
        hints: {
          ...state.ui.hints,
          [session]: { text, serial: (state.ui.hints[session]?.serial ?? 0) + 1, at: Date.now() },
        },
      },
    })),
}));

export const persist = (key: 'theme' | 'webgl' | 'copyOnSelect', value: string) => {
  try {
    window.localStorage.setItem(`switchboard.${key}`, value);
  } catch {
    // Storage may be disabled; the setting then lasts for this page only.
  }
};

/**
 * The mode a pane (keyed as in hubs.ts) attaches in: the one chosen for it, else what the principal may do
 * on that pane's hub. An observer invitee
 * observes at once; asking it to drive would only be refused (issue 10).
 */
export function paneMode(state: Pick<AppState, 'ui' | 'hub' | 'remotes'>, pane: string): AttachMode {
  const self = hubStateOf(state, paneRef(pane).hub).self;
  return state.ui.modes[pane] ?? (self?.role === 'observer' ? 'observe' : 'drive');
}
