// A pane header's "⋯" menu (issue 13 item 7): in a narrow pane (styles.css container query) the header keeps
// one line and its secondary controls (who is attached, activity, search) move in here. Closes on Escape, a
// click outside, or after one of its buttons ran.
import { useRef, useState, type ReactNode } from 'react';
import { useDismiss } from './useDismiss.js';

export function PaneOverflow({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useDismiss(root, () => setOpen(false), open);
  return (
    <span className="pane-overflow narrow-only" ref={root}>
      <button
        type="button"
        className="small"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={label}
        title={label}
        data-testid="pane-overflow"
        onClick={() => setOpen(!open)}
      >
        ⋯
      </button>
      {open ? (
        <div
          className="pane-overflow-menu"
          role="menu"
          aria-label={label}
          data-testid="pane-overflow-menu"
          // A button inside ran its action: the menu's job is done.
          onClick={(event) => {
            if ((event.target as HTMLElement).closest('button')) setOpen(false);
          }}
        >
          {children}
        </div>
      ) : null}
    </span>
  );
}
