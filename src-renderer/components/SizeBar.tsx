// A pane smaller than its session says so and offers the two ways to see all of it (issue 13): fit (a
// smaller font) or scroll (normal font, kept at the newest lines). Shown only while the pane is smaller.
import { paneController } from '../hub/paneHosts.js';
import { usePaneViews } from '../state/paneViews.js';
import type { ViewMode } from '../terminal/viewFit.js';
import './sizeBar.css';

const MODES: Array<{ mode: ViewMode; label: string; title: string }> = [
  { mode: 'fit', label: 'Fit', title: 'Show the whole session with a smaller font' },
  { mode: 'scroll', label: 'Scroll', title: 'Keep the font; scroll to see the rest' },
];

export function SizeBar({ pane }: { pane: string }) {
  const report = usePaneViews((state) => state.reports[pane]);
  if (!report) return null;
  const { session, view } = report;
  return (
    <div className="size-bar" role="status" data-testid="size-bar">
      <span>
        The session is {session.cols}×{session.rows}, you see {view.cols}×{view.rows}:
      </span>
      {MODES.map(({ mode, label, title }) => (
        <button
          key={mode}
          type="button"
          className="small"
          title={title}
          aria-pressed={report.mode === mode}
          onClick={() => paneController(pane)?.setViewMode(mode)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
