// Tab order is grid order (issue 13 item 7): the grid lays its visible panes out in the order of their tabs,
// and moving a tab (drag or keys) moves its pane in the grid. Pure; the slots keep meaning "which panes show".
import type { Layout } from './layout.js';

/**
 * The grid cell (0 top left, reading order) each slot is drawn in: visible panes in tab order, then the empty
 * slots in their own order.
 */
export function cellsBySlot(layout: Layout): number[] {
  const rank = (slot: string | null) => (slot === null ? Infinity : layout.open.indexOf(slot));
  const order = layout.slots
    .map((_, index) => index)
    .sort((a, b) => {
      const difference = rank(layout.slots[a]!) - rank(layout.slots[b]!);
      return Number.isNaN(difference) || difference === 0 ? a - b : difference;
    });
  const cells = new Array<number>(layout.slots.length);
  order.forEach((slot, cell) => (cells[slot] = cell));
  return cells;
}

/** Moves an open pane's tab to `index` (clamped) in the tab order; unknown panes change nothing. */
export function moveTab(layout: Layout, session: string, index: number): Layout {
  const from = layout.open.indexOf(session);
  if (from < 0) return layout;
  const to = Math.max(0, Math.min(layout.open.length - 1, Math.trunc(index)));
  if (to === from) return layout;
  const open = layout.open.filter((id) => id !== session);
  open.splice(to, 0, session);
  return { ...layout, open };
}

/** Moves the focused pane's tab one place left (-1) or right (+1); nothing at either end. */
export function moveFocusedTab(layout: Layout, delta: -1 | 1): Layout {
  const focused = layout.slots[layout.focused];
  if (focused === null || focused === undefined) return layout;
  const from = layout.open.indexOf(focused);
  const to = from + delta;
  return to < 0 || to >= layout.open.length ? layout : moveTab(layout, focused, to);
}

/** The index a dragged tab lands at when dropped before or after `target` (both open). */
export function dropIndex(open: string[], moving: string, target: string, after: boolean): number {
  const from = open.indexOf(moving);
  const at = open.indexOf(target) + (after ? 1 : 0);
  return from >= 0 && from < at ? at - 1 : at;
}
