// Which keys each app shortcut takes, per place: the desktop app owns its window; a browser keeps some
// combinations for itself and never hands them to the page (BROWSER_KEEPS), so the web UI avoids those.

export type ShortcutPlace = 'desktop' | 'browser';

export type Keys = Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey' | 'code'>;

export interface Binding {
  keys: string;
  /** What the web UI uses where a browser would keep `keys` for itself. */
  browserKeys?: string;
  match(event: Keys, place: ShortcutPlace): boolean;
}

const ctrlShift = (event: Keys, code: string) =>
  (event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.code === code;
const alt = (event: Keys, code: string) =>
  event.altKey && !event.ctrlKey && !event.metaKey && !event.shiftKey && event.code === code;
const altShift = (event: Keys, code: string) =>
  event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === code;
/** Ctrl+Shift+key in the desktop app, Alt+Shift+key in a browser. */
const ownWindowOr = (event: Keys, code: string, place: ShortcutPlace) =>
  place === 'desktop' ? ctrlShift(event, code) : altShift(event, code);

export const KEYS = {
  newSession: {
    keys: 'Ctrl+Shift+N',
    browserKeys: 'Alt+Shift+N',
    match: (event, place) => ownWindowOr(event, 'KeyN', place),
  },
  graph: { keys: 'Ctrl+Shift+G', match: (event) => ctrlShift(event, 'KeyG') },
  grid: {
    keys: 'Ctrl+Shift+E',
    browserKeys: 'Alt+Shift+E',
    match: (event, place) => ownWindowOr(event, 'KeyE', place),
  },
  pane: {
    keys: 'Ctrl+Shift+→ / ←',
    match: (event) => ctrlShift(event, 'ArrowRight') || ctrlShift(event, 'ArrowLeft'),
  },
  moveTab: {
    keys: 'Alt+Shift+→ / ←',
    match: (event) => altShift(event, 'ArrowRight') || altShift(event, 'ArrowLeft'),
  },
  session: { keys: 'Alt+↓ / ↑', match: (event) => alt(event, 'ArrowDown') || alt(event, 'ArrowUp') },
  paneNumber: {
    keys: 'Alt+1…9',
    browserKeys: 'Alt+Shift+1…9',
    match: (event, place) =>
      event.altKey &&
      !event.ctrlKey &&
      !event.metaKey &&
      event.shiftKey === (place === 'browser') &&
      /^Digit[1-9]$/.test(event.code),
  },
  inbox: { keys: 'Ctrl+Shift+X', match: (event) => ctrlShift(event, 'KeyX') },
  search: { keys: 'Ctrl+Shift+F', match: (event) => ctrlShift(event, 'KeyF') },
  theme: { keys: 'Ctrl+Shift+L', match: (event) => ctrlShift(event, 'KeyL') },
} satisfies Record<string, Binding>;

/**
 * Combinations Chromium or Firefox handle before the page sees them (or that a page cannot cancel): new
 * windows and tabs, closing and reopening them, switching tabs, developer tools.
 */
export const BROWSER_KEEPS: Keys[] = [
  ...['KeyN', 'KeyT', 'KeyW', 'KeyQ', 'KeyE', 'KeyI', 'KeyJ', 'KeyK', 'KeyB', 'KeyP', 'KeyO', 'KeyM'].map(
    (code) => ({ ctrlKey: true, shiftKey: true, altKey: false, metaKey: false, code }),
  ),
  ...['KeyN', 'KeyT', 'KeyW', 'Tab'].map((code) => ({
    ctrlKey: true,
    shiftKey: false,
    altKey: false,
    metaKey: false,
    code,
  })),
  ...[1, 2, 3, 4, 5, 6, 7, 8, 9].map((digit) => ({
    ctrlKey: false,
    shiftKey: false,
    altKey: true,
    metaKey: false,
    code: `Digit${digit}`,
  })),
  ...['KeyF', 'KeyE', 'KeyD', 'Home'].map((code) => ({
    ctrlKey: false,
    shiftKey: false,
    altKey: true,
    metaKey: false,
    code,
  })),
];
