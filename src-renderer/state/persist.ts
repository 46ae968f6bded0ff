// What of a window comes back after a reload or at the next start (issue 13): the open tabs, the grid,
// which pane shows which session, each pane's mode, the view, the graph's viewport and its filters, grouping
// and folded subtrees. Stored per hub in
// localStorage; pure (de)serialisation here, validated on the way in: stored data that is malformed, from
// another version or names sessions that are gone is dropped, never trusted and never a crash.
import { z } from 'zod';
import type { AttachMode } from '../../src-protocol/index.js';
import type { GridSize, Layout } from './layout.js';

export const WINDOW_STATE_VERSION = 1;
/** More tabs than anyone keeps open; bounds what a corrupted entry can make the page do. */
const MAX_OPEN = 64;

const ViewportSchema = z.object({ x: z.number(), y: z.number(), zoom: z.number().positive() });
export type SavedViewport = z.infer<typeof ViewportSchema>;

/** More folded subtrees than a graph has nodes worth folding; bounds what a corrupted entry can hold. */
const MAX_FOLDED = 500;

/** The graph's view settings (graph/graphPrefs.ts): what it hides, its grouping, the subtrees folded. */
const GraphViewSchema = z.object({
  hideFinished: z.boolean(),
  hideIdle: z.boolean(),
  groupByRepo: z.boolean(),
  collapsed: z.array(z.string().min(1).max(300)).max(MAX_FOLDED),
});
export type SavedGraphView = z.infer<typeof GraphViewSchema>;

const SavedWindowSchema = z.object({
  version: z.literal(WINDOW_STATE_VERSION),
  layout: z.object({
    open: z.array(z.string().min(1).max(300)).max(MAX_OPEN),
    slots: z.array(z.string().min(1).max(300).nullable()),
    focused: z.number().int().nonnegative(),
    grid: z.union([z.literal(1), z.literal(2), z.literal(4)]),
  }),
  modes: z.record(z.string(), z.enum(['drive', 'observe'])),
  view: z.enum(['terminals', 'graph']),
  graphViewport: ViewportSchema.nullable(),
  // Added after the first release of this format: absent (stored by an older page) or malformed, the
  // graph opens with its defaults and the rest of the window still comes back.
  graph: GraphViewSchema.optional().catch(undefined),
});
export type SavedWindow = z.infer<typeof SavedWindowSchema>;

/** The localStorage key of one hub's window state. */
export const windowKey = (hub: string) => `switchboard.window.${hub}`;

export function serializeWindow(state: Omit<SavedWindow, 'version'>): string {
  return JSON.stringify({ version: WINDOW_STATE_VERSION, ...state } satisfies SavedWindow);
}

/** The stored state if it is whole and of this version; undefined otherwise. */
export function parseWindow(text: string | null | undefined): SavedWindow | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = SavedWindowSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The stored layout made consistent with the sessions there are now: panes whose session is gone are
 * dropped (their slots emptied), duplicates and slots that show an unopened pane are ignored, and the
 * slot count always matches the grid.
 */
export function restoreLayout(saved: SavedWindow['layout'], exists: (pane: string) => boolean): Layout {
  const open = [...new Set(saved.open)].filter(exists);
  const grid: GridSize = saved.grid;
  const slots: Array<string | null> = [];
  for (let index = 0; index < grid; index++) {
    const pane = saved.slots[index] ?? null;
    slots.push(pane !== null && open.includes(pane) && !slots.includes(pane) ? pane : null);
  }
  const focused = saved.focused < grid ? saved.focused : 0;
  return { open, slots, focused, grid };
}

/** The modes of the panes still open. */
export function restoreModes(
  modes: Record<string, AttachMode>,
  open: readonly string[],
): Record<string, AttachMode> {
  return Object.fromEntries(Object.entries(modes).filter(([pane]) => open.includes(pane)));
}

/** The stored folded subtrees whose node is still there (a session that is gone folds nothing). */
export function restoreFolded(saved: readonly string[], exists: (node: string) => boolean): Set<string> {
  return new Set(saved.filter(exists));
}
