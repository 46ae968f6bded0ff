// A terminal pane's right-click menu: Copy (the selection), Paste (typed as input, through the same gate as
// keystrokes) and the copy-on-select setting. Closes on Escape, on a click elsewhere and after a choice.
import { useEffect, useRef } from 'react';
import { paneController } from '../hub/paneHosts.js';
import { persist, useApp } from '../state/store.js';
import { useDismiss } from './useDismiss.js';
import { readClipboard, writeClipboard } from '../terminal/clipboard.js';

const controllerOf = paneController;

export interface MenuPlace {
  x: number;
  y: number;
  /** The selection when the menu opened (a right click can clear it in some browsers). */
  selection: string;
}

export function TerminalMenu(props: { session: string; place: MenuPlace; onClose: () => void }) {
  const { session, place, onClose } = props;
  const copyOnSelect = useApp((state) => state.ui.copyOnSelect);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    menu.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
  }, []);
  useDismiss(menu, onClose);

  const done = () => {
    onClose();
    controllerOf(session)?.focus();
  };
  return (
    <div
      ref={menu}
      className="context-menu"
      role="menu"
      aria-label="Terminal"
      data-testid="terminal-menu"
      style={{ left: place.x, top: place.y }}
    >
      <button
        type="button"
        role="menuitem"
        disabled={place.selection.length === 0}
        onClick={() => void writeClipboard(place.selection).then(done)}
      >
        Copy <kbd>Ctrl+Shift+C</kbd>
      </button>
      <button
        type="button"
        role="menuitem"
        onClick={() =>
          void readClipboard().then((text) => {
            if (text === null)
              useApp
                .getState()
                .hint(session, 'This browser does not let the page read the clipboard: use Ctrl+Shift+V.');
            else controllerOf(session)?.paste(text);
            done();
          })
        }
      >
        Paste <kbd>Ctrl+Shift+V</kbd>
      </button>
      <hr />
      <button
        type="button"
        role="menuitemcheckbox"
        aria-checked={copyOnSelect}
        onClick={() => {
          persist('copyOnSelect', copyOnSelect ? '0' : '1');
          useApp.getState().setUi({ copyOnSelect: !copyOnSelect });
          done();
        }}
      >
        {copyOnSelect ? '✓ ' : ''}Copy on select
      </button>
    </div>
  );
}
