// The ⌨ button and its list of keyboard shortcuts (the keys of this place: desktop app or browser). The list
// opens below the first row of pane headers, clear of their buttons (two columns keep it short enough to
// fit above a 4-pane grid's second row), and closes on Escape, a click outside or the button.
import { useLayoutEffect, useRef, useState } from 'react';
import { useDismiss } from './useDismiss.js';
import { keysFor, SHORTCUTS, shortcutPlace } from '../shortcuts.js';

/** Gap between the list and what it clears. */
const GAP = 6;

/** How far below the ⌨ button the list goes: under the pane headers of the grid's top row, if any show. */
function clearOfPaneHeaders(button: HTMLElement): number {
  const below = button.getBoundingClientRect().bottom;
  const headers = [...document.querySelectorAll('.pane-bar')]
    .map((bar) => bar.getBoundingClientRect())
    .filter((box) => box.width > 0 && box.right > 0 && box.left < window.innerWidth)
    .filter((box) => box.top < below + 2 * box.height + GAP); // the top row: right under the top bar
  return Math.max(below, ...headers.map((box) => box.bottom)) - below + GAP;
}

export function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  const [offset, setOffset] = useState(GAP);
  const root = useRef<HTMLDivElement>(null);
  useDismiss(root, () => setOpen(false), open);
  useLayoutEffect(() => {
    if (open && root.current) setOffset(clearOfPaneHeaders(root.current));
  }, [open]);
  const place = shortcutPlace();
  return (
    <div className="help" ref={root}>
      <button
        type="button"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
        title="Keyboard shortcuts"
        data-testid="shortcuts-button"
      >
        ⌨
      </button>
      {open ? (
        <dl
          className="help-panel"
          data-testid="shortcuts"
          aria-label="Keyboard shortcuts"
          style={{ top: `calc(100% + ${offset}px)` }}
        >
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.keys}>
              <dt>{keysFor(shortcut, place)}</dt>
              <dd>{shortcut.does}</dd>
            </div>
          ))}
          <div>
            <dt>Ctrl+Shift+C / V</dt>
            <dd>Copy / paste in a terminal</dd>
          </div>
          <p className="muted small-print">Esc closes this list.</p>
        </dl>
      ) : null}
    </div>
  );
}
