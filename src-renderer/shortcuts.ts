// Keyboard shortcuts: one table, used by the window listener, by xterm (to let them through) and by help.
// Their keys, per place (desktop app or browser), are in shortcutKeys.ts.
import { bridge } from './hub/connection.js';
import { useInbox } from './inbox/inboxStore.js';
import { focusedPane, type GridSize } from './state/layout.js';
import { persist, useApp } from './state/store.js';
import { sessionsByDirectory } from './state/hubState.js';
import { moveFocusedTab } from './state/tabOrder.js';

import { KEYS, type Binding, type Keys, type ShortcutPlace } from './shortcutKeys.js';

export { KEYS };

export interface Shortcut extends Binding {
  does: string;
  run(): void;
}

const app = () => useApp.getState();
const GRIDS: GridSize[] = [1, 2, 4];

/** Opens the session `delta` places away in the sidebar's order. */
function stepSession(delta: number): void {
  const ordered = sessionsByDirectory(app().hub.sessions).flatMap(([, members]) => members.map((s) => s.id));
  if (ordered.length === 0) return;
  const current = focusedPane(app().ui.layout);
  const index = current === null ? -1 : ordered.indexOf(current);
  app().showPane(ordered[(index + delta + ordered.length) % ordered.length]!);
}

export const SHORTCUTS: Shortcut[] = [
  {
    ...KEYS.newSession,
    does: 'New session',
    run: () => app().setUi({ dialog: 'new-session' }),
  },
  {
    ...KEYS.graph,
    does: 'Terminals ⇄ delegation graph',
    run: () => app().setUi({ view: app().ui.view === 'graph' ? 'terminals' : 'graph' }),
  },
  {
    ...KEYS.grid,
    does: 'Grid: 1 → 2 → 4 panes',
    run: () => app().setGrid(GRIDS[(GRIDS.indexOf(app().ui.layout.grid) + 1) % GRIDS.length]!),
  },
  {
    ...KEYS.pane,
    does: 'Next / previous pane',
    run: () => undefined, // handled with the event's direction below
  },
  {
    ...KEYS.moveTab,
    does: 'Move the tab (and its pane) right / left',
    run: () => undefined, // handled with the event's direction below
  },
  {
    ...KEYS.session,
    does: 'Next / previous session',
    run: () => undefined,
  },
  {
    ...KEYS.paneNumber,
    does: 'Show pane 1…9',
    run: () => undefined,
  },
  {
    ...KEYS.inbox,
    does: 'Inbox (in it: j/k move, a allow, d deny, Enter open)',
    run: () => useInbox.getState().setOpen(!useInbox.getState().open),
  },
  {
    ...KEYS.search,
    does: 'Search the focused terminal',
    run: () => app().setUi({ searchOpen: !app().ui.searchOpen }),
  },
  {
    ...KEYS.theme,
    does: 'Light / dark theme',
    run: () => {
      const theme = app().ui.theme === 'dark' ? 'light' : 'dark';
      persist('theme', theme);
      app().setUi({ theme });
    },
  },
];

/** Where this page runs: the desktop app's window, or a browser tab. */
export const shortcutPlace = (): ShortcutPlace => (bridge() ? 'desktop' : 'browser');

/** The keys to show for a shortcut here. */
export const keysFor = (shortcut: Binding, place: ShortcutPlace): string =>
  place === 'browser' ? (shortcut.browserKeys ?? shortcut.keys) : shortcut.keys;

/** The keys of a binding where this page runs, for hints and tooltips. */
export const keysHere = (binding: Binding): string => keysFor(binding, shortcutPlace());

/** The shortcut `event` means here, if any. */
export const shortcutFor = (event: Keys, place: ShortcutPlace): Shortcut | undefined =>
  SHORTCUTS.find((candidate) => candidate.match(event, place));

export const isAppShortcut = (event: KeyboardEvent): boolean =>
  event.type === 'keydown' && shortcutFor(event, shortcutPlace()) !== undefined;

/** The window's keydown handler. */
export function handleShortcut(event: KeyboardEvent): void {
  const shortcut = shortcutFor(event, shortcutPlace());
  if (!shortcut) return;
  event.preventDefault();
  event.stopPropagation();
  if (shortcut.keys === KEYS.moveTab.keys) {
    const layout = moveFocusedTab(app().ui.layout, event.code === 'ArrowRight' ? 1 : -1);
    return app().setUi({ layout });
  }
  if (event.code === 'ArrowRight' || event.code === 'ArrowLeft')
    return app().cyclePane(event.code === 'ArrowRight' ? 1 : -1);
  if (event.code === 'ArrowDown' || event.code === 'ArrowUp')
    return stepSession(event.code === 'ArrowDown' ? 1 : -1);
  if (event.code.startsWith('Digit')) {
    const session = app().ui.layout.open[Number(event.code.slice(5)) - 1];
    if (session) app().showPane(session);
    return;
  }
  shortcut.run();
}
