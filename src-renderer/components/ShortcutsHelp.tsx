// The ⌨ button and its list of keyboard shortcuts (the keys of this place: desktop app or browser). The list
// opens below the top bar, clear of the panes' buttons, and closes on Escape, a click outside or the button.
import { useRef, useState } from 'react';
import { useDismiss } from './useDismiss.js';
import { keysFor, SHORTCUTS, shortcutPlace } from '../shortcuts.js';

export function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  useDismiss(root, () => setOpen(false), open);
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
        <dl className="help-panel" data-testid="shortcuts" aria-label="Keyboard shortcuts">
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
