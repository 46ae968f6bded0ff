import { describe, expect, it } from 'vitest';
import { fittedViewport, MIN_FIT_ZOOM, READABLE_FIT_ZOOM } from './viewportFit.js';

type Box = { x: number; y: number; width: number; height: number };
/** The extent's box on screen at a viewport. */
const onScreen = (
  extent: { width: number; height: number },
  view: { x: number; y: number; zoom: number },
): Box => ({
  x: view.x,
  y: view.y,
  width: extent.width * view.zoom,
  height: extent.height * view.zoom,
});
const within = (a: Box, width: number, height: number) =>
  a.x >= 0 && a.y >= 0 && a.x + a.width <= width + 0.001 && a.y + a.height <= height + 0.001;
const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('fittedViewport', () => {
  it('fits a graph wider than the pane whole while the zoom stays readable', () => {
    const extent = { width: 1500, height: 700 };
    const view = fittedViewport(extent, 1000, 700);
    expect(view.zoom).toBeLessThan(MIN_FIT_ZOOM);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_FIT_ZOOM);
    expect(within(onScreen(extent, view), 1000, 700)).toBe(true);
  });

  it('shows a graph too big to read whole from its top-left corner at the readable zoom', () => {
    const view = fittedViewport({ width: 5000, height: 3000 }, 1000, 700);
    expect(view.zoom).toBe(MIN_FIT_ZOOM);
    expect(view.x).toBeGreaterThan(0);
    expect(view.x).toBeLessThan(50);
  });

  it('keeps the graph off the task list in the bottom-right corner, beside or above it', () => {
    const corner = { width: 330, height: 200 };
    const list: Box = { x: 1000 - corner.width, y: 700 - corner.height, ...corner };
    // A wide, flat graph goes above the list; a tall, narrow one beside it.
    for (const extent of [
      { width: 1200, height: 300 },
      { width: 300, height: 900 },
    ]) {
      const view = fittedViewport(extent, 1000, 700, corner);
      const box = onScreen(extent, view);
      expect(within(box, 1000, 700)).toBe(true);
      expect(overlap(box, list)).toBe(false);
      expect(view.zoom).toBeGreaterThanOrEqual(READABLE_FIT_ZOOM);
    }
    const flat = fittedViewport({ width: 1200, height: 300 }, 1000, 700, corner);
    expect(flat.y + 300 * flat.zoom).toBeLessThanOrEqual(list.y);
    const tall = fittedViewport({ width: 300, height: 900 }, 1000, 700, corner);
    expect(tall.x + 300 * tall.zoom).toBeLessThanOrEqual(list.x);
  });

  it('centres a small graph without zooming in past 1.2', () => {
    const view = fittedViewport({ width: 200, height: 100 }, 1000, 700);
    expect(view.zoom).toBe(1.2);
    const box = onScreen({ width: 200, height: 100 }, view);
    expect(Math.abs(box.x + box.width / 2 - 500)).toBeLessThan(1);
  });
});
