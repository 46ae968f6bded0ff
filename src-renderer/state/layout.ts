// Pane layout, pure: open panes are tabs (attached terminals); a grid of 1, 2 or 4 slots shows some of them.
// Panes outside the slots stay attached but hidden (and give back their WebGL context).

export type GridSize = 1 | 2 | 4;

export interface Layout {
  /** Open panes (session ids) in tab order. */
  open: string[];
  /** What each visible slot shows; length equals `grid` (null: an empty slot). */
  slots: Array<string | null>;
  focused: number;
  grid: GridSize;
}

export const emptyLayout: Layout = { open: [], slots: [null], focused: 0, grid: 1 };

export const visiblePanes = (layout: Layout): string[] =>
  layout.slots.filter((slot): slot is string => slot !== null);

export const focusedPane = (layout: Layout): string | null => layout.slots[layout.focused] ?? null;

/** Shows a session: focuses its slot when visible, else puts it in the focused slot (opening it first). */
export function showPane(layout: Layout, session: string): Layout {
  const open = layout.open.includes(session) ? layout.open : [...layout.open, session];
  const visibleAt = layout.slots.indexOf(session);
  if (visibleAt >= 0) return { ...layout, open, focused: visibleAt };
  const empty = layout.slots.indexOf(null);
  const target = layout.slots[layout.focused] === null || empty < 0 ? layout.focused : empty;
  const slots = layout.slots.map((slot, index) => (index === target ? session : slot));
  return { ...layout, open, slots, focused: target };
}

/** Closes a pane; its slot takes the next hidden open pane, if any. */
export function closePane(layout: Layout, session: string): Layout {
  const open = layout.open.filter((id) => id !== session);
  const hidden = open.filter((id) => !layout.slots.includes(id));
  const slots = layout.slots.map((slot) => (slot === session ? (hidden.shift() ?? null) : slot));
  return { ...layout, open, slots };
}

/** Changes the grid, filling new slots with hidden open panes and keeping the focused pane visible. */
export function setGrid(layout: Layout, grid: GridSize): Layout {
  const focused = focusedPane(layout);
  let slots = layout.slots.slice(0, grid);
  if (focused !== null && !slots.includes(focused)) slots[grid - 1] = focused;
  const hidden = layout.open.filter((id) => !slots.includes(id));
  while (slots.length < grid) slots.push(hidden.shift() ?? null);
  slots = slots.map((slot) => slot ?? null);
  const focusedIndex = focused === null ? 0 : Math.max(0, slots.indexOf(focused));
  return { ...layout, grid, slots, focused: focusedIndex };
}

/** Moves focus to the open pane `delta` tabs away (wrapping), showing it. */
export function cyclePane(layout: Layout, delta: number): Layout {
  if (layout.open.length === 0) return layout;
  const current = focusedPane(layout);
  const index = current === null ? -1 : layout.open.indexOf(current);
  const next = (index + delta + layout.open.length) % layout.open.length;
  return showPane(layout, layout.open[next]!);
}

/** Drops panes whose sessions no longer exist. */
export function pruneLayout(layout: Layout, exists: (session: string) => boolean): Layout {
  return layout.open.filter((id) => !exists(id)).reduce(closePane, layout);
}
