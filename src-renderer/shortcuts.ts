// Keyboard shortcuts: one table, used by the window listener, by xterm (to let them through) and by help.
import { useInbox } from './inbox/inboxStore.js';
import { focusedPane, type GridSize } from './state/layout.js';
import { persist, useApp } from './state/store.js';
import { sessionsByDirectory } from './state/hubState.js';

interface Shortcut {
  keys: string;
  does: string;
  match(event: KeyboardEvent): boolean;
  run(): void;
}

const ctrlShift = (event: KeyboardEvent, code: string) =>
  (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.code === code;
const alt = (event: KeyboardEvent, code: string) =>
  event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === code;

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
    keys: 'Ctrl+Shift+N',
    does: 'New session',
    match: (event) => ctrlShift(event, 'KeyN'),
    run: () => app().setUi({ dialog: 'new-session' }),
  },
  {
    keys: 'Ctrl+Shift+G',
    does: 'Terminals ⇄ delegation graph',
    match: (event) => ctrlShift(event, 'KeyG'),
    run: () => app().setUi({ view: app().ui.view === 'graph' ? 'terminals' : 'graph' }),
  },
  {
    keys: 'Ctrl+Shift+E',
    does: 'Grid: 1 → 2 → 4 panes',
    match: (event) => ctrlShift(event, 'KeyE'),
    run: () => app().setGrid(GRIDS[(GRIDS.indexOf(app().ui.layout.grid) + 1) % GRIDS.length]!),
  },
  {
    keys: 'Ctrl+Shift+→ / ←',
    does: 'Next / previous pane',
    match: (event) => ctrlShift(event, 'ArrowRight') || ctrlShift(event, 'ArrowLeft'),
    run: () => undefined, // handled with the event's direction below
  },
  {
    keys: 'Alt+↓ / ↑',
    does: 'Next / previous session',
    match: (event) => alt(event, 'ArrowDown') || alt(event, 'ArrowUp'),
    run: () => undefined,
  },
  {
    keys: 'Alt+1…9',
    does: 'Show pane 1…9',
    match: (event) => event.altKey && !event.ctrlKey && !event.shiftKey && /^Digit[1-9]$/.test(event.code),
    run: () => undefined,
  },
  {
    keys: 'Ctrl+Shift+X',
    does: 'Inbox (in it: j/k move, a allow, d deny, Enter open)',
    match: (event) => ctrlShift(event, 'KeyX'),
    run: () => useInbox.getState().setOpen(!useInbox.getState().open),
  },
  {
    keys: 'Ctrl+Shift+F',
    does: 'Search the focused terminal',
    match: (event) => ctrlShift(event, 'KeyF'),
    run: () => app().setUi({ searchOpen: !app().ui.searchOpen }),
  },
  {
    keys: 'Ctrl+Shift+L',
    does: 'Light / dark theme',
    match: (event) => ctrlShift(event, 'KeyL'),
    run: () => {
      const theme = app().ui.theme === 'dark' ? 'light' : 'dark';
      persist('theme', theme);
      app().setUi({ theme });
    },
  },
];

export const isAppShortcut = (event: KeyboardEvent): boolean =>
  event.type === 'keydown' && SHORTCUTS.some((shortcut) => shortcut.match(event));

/** The window's keydown handler. */
export function handleShortcut(event: KeyboardEvent): void {
  const shortcut = SHORTCUTS.find((candidate) => candidate.match(event));
  if (!shortcut) return;
  event.preventDefault();
  event.stopPropagation();
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
