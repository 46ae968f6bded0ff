// The grid's draggable splits: one between the columns (2 and 4 panes), one between the rows (4 panes).
// Dragging (or arrow keys on a focused split) moves the share kept in state/panelLayout.ts; the panes'
// ResizeObservers refit their terminals. Double-click puts a split back in the middle.
import type { KeyboardEvent, PointerEvent } from 'react';
import type { GridSize } from '../state/layout.js';
import { MIN_SPLIT, usePanels, type Splits } from '../state/panelLayout.js';

/** styles.css `.grid`: its padding and the gap between cells, in px. */
const GRID_PADDING = 4;
const GRID_GAP = 4;
/** One arrow key press moves a split by this share of the grid. */
const KEY_STEP = 0.02;
/** A drag stops short of making a pane narrower (or lower) than this, so its header keeps its controls. */
const MIN_PANE_PX = 360;
const MIN_PANE_HEIGHT_PX = 160;

/** The column and row templates for a grid with these splits. */
export function gridTemplate(grid: GridSize, splits: Splits): { columns: string; rows: string } {
  const share = (value: number) => `minmax(0, ${value}fr) minmax(0, ${1 - value}fr)`;
  return {
    columns: grid === 1 ? 'minmax(0, 1fr)' : share(splits.column),
    rows: grid === 4 ? share(splits.row) : 'minmax(0, 1fr)',
  };
}

/**
 * Where the pointer sits as a share of the grid's cells along one axis (padding and gap left out), kept so
 * that neither pane gets below the minimum size.
 */
function shareAt(grid: HTMLElement, axis: keyof Splits, client: number): number {
  const box = grid.getBoundingClientRect();
  const start = axis === 'column' ? box.left : box.top;
  const cells = (axis === 'column' ? box.width : box.height) - 2 * GRID_PADDING - GRID_GAP;
  const share = (client - start - GRID_PADDING - GRID_GAP / 2) / cells;
  const least = Math.min(0.5, (axis === 'column' ? MIN_PANE_PX : MIN_PANE_HEIGHT_PX) / cells);
  return Math.min(1 - least, Math.max(least, share));
}

function Splitter({ axis }: { axis: keyof Splits }) {
  const share = usePanels((state) => state.splits[axis]);
  const setSplit = usePanels((state) => state.setSplit);
  const vertical = axis === 'column';
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    const grid = handle.parentElement;
    if (!grid) return;
    handle.setPointerCapture(event.pointerId);
    const move = (moved: globalThis.PointerEvent) =>
      setSplit(axis, shareAt(grid, axis, vertical ? moved.clientX : moved.clientY));
    const stop = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', stop);
      handle.removeEventListener('pointercancel', stop);
      grid.classList.remove('resizing');
    };
    grid.classList.add('resizing');
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', stop);
    handle.addEventListener('pointercancel', stop);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const back = vertical ? 'ArrowLeft' : 'ArrowUp';
    const forward = vertical ? 'ArrowRight' : 'ArrowDown';
    if (event.key !== back && event.key !== forward && event.key !== 'Home') return;
    event.preventDefault();
    setSplit(axis, event.key === 'Home' ? 0.5 : share + (event.key === forward ? KEY_STEP : -KEY_STEP));
  };
  // Centred on the gap between the cells: padding + share of the cells' size.
  const offset = `calc(${GRID_PADDING}px + (100% - ${2 * GRID_PADDING + GRID_GAP}px) * ${share})`;
  return (
    <div
      className={`grid-splitter grid-splitter-${axis}`}
      role="separator"
      aria-orientation={vertical ? 'vertical' : 'horizontal'}
      aria-label={vertical ? 'Resize columns' : 'Resize rows'}
      aria-valuenow={Math.round(share * 100)}
      aria-valuemin={Math.round(MIN_SPLIT * 100)}
      aria-valuemax={Math.round((1 - MIN_SPLIT) * 100)}
      tabIndex={0}
      data-testid={`splitter-${axis}`}
      title="Drag to resize; double-click to even out"
      style={vertical ? { left: offset } : { top: offset }}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onDoubleClick={() => setSplit(axis, 0.5)}
    />
  );
}

export function GridSplitters({ grid }: { grid: GridSize }) {
  return (
    <>
      {grid > 1 ? <Splitter axis="column" /> : null}
      {grid === 4 ? <Splitter axis="row" /> : null}
    </>
  );
}
