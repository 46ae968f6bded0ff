// A pane header's "⋯" menu (issue 13 item 7): in a narrow pane (styles.css container query) the header keeps
// one line and its secondary controls (who is attached, activity, search) move in here. Closes on Escape, a
// click outside, or after one of its buttons ran.
import { useEffect, useRef, useState, type ReactNode } from 'react';

export function PaneOverflow({ label, children }: { label: string; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (!open) return;
    const away = (event: MouseEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    window.addEventListener('mousedown', away, true);
    window.addEventListener('keydown', escape, true);
    return () => {
      window.removeEventListener('mousedown', away, true);
      window.removeEventListener('keydown', escape, true);
    };
  }, [open]);
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
