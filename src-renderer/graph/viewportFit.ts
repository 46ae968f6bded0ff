// Where the delegation graph's viewport goes when it is fitted (pure, for GraphViewport.tsx): the whole graph
// centred while it reads, clear of the task list in the bottom-right corner; else its top-left corner (the
// delegation tree's roots) at a readable zoom.
import type { Viewport } from './graphPrefs.js';

/**
 * The whole graph is fitted while this zoom or more shows it (11 px labels about 6 px, titles 7: the tree's
 * shape and the node titles still read, and a normal graph of about 15 sessions fits at 1280 × 800).
 */
export const READABLE_FIT_ZOOM = 0.5;
/** A graph too big for that is shown from its top-left corner at this zoom (labels about 9 px). */
export const MIN_FIT_ZOOM = 0.8;
const MAX_ZOOM = 1.2;
const PAD = 24;
/** Room left at the top for the toolbar and the filters. */
const TOP = 64;

export type Size = { width: number; height: number };

/** The zoom and place that centre `extent` in `room` (pane coordinates from left, top). */
function centred(extent: Size, room: Size & { left: number; top: number }): Viewport {
  const zoom = Math.min(
    room.width / Math.max(1, extent.width),
    room.height / Math.max(1, extent.height),
    MAX_ZOOM,
  );
  return {
    x: room.left + (room.width - extent.width * zoom) / 2,
    y: room.top + (room.height - extent.height * zoom) / 2,
    zoom,
  };
}

/**
 * The viewport that shows `extent` (graph coordinates from 0,0) in a width × height pane. `corner` is what
 * an overlay takes of the pane's bottom-right corner (the task list, with its margin): the graph is fitted
 * either left of it or above it, whichever leaves the larger zoom, so no node lies under it.
 */
export function fittedViewport(extent: Size, width: number, height: number, corner?: Size): Viewport {
  const room = {
    left: PAD,
    top: TOP,
    width: Math.max(1, width - 2 * PAD),
    height: Math.max(1, height - PAD - TOP),
  };
  const fits = [centred(extent, room)];
  if (corner && corner.width > 0 && corner.height > 0) {
    fits.length = 0;
    fits.push(
      centred(extent, { ...room, width: Math.max(1, room.width - corner.width) }),
      centred(extent, { ...room, height: Math.max(1, room.height - corner.height) }),
    );
  }
  const best = fits.reduce((a, b) => (b.zoom > a.zoom ? b : a));
  if (best.zoom < READABLE_FIT_ZOOM) return { x: PAD, y: TOP, zoom: MIN_FIT_ZOOM };
  return best;
}
