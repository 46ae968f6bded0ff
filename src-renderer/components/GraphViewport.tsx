// The delegation graph's viewport: fitted when the graph is first shown and when sessions join or leave
// it, unless the user panned or zoomed; kept as it is when the graph's size changes (a panel opening
// beside it). A big graph is fitted at a readable zoom from its top-left corner instead of shrunk to dots.
import {
  ControlButton,
  Controls,
  useOnViewportChange,
  useReactFlow,
  useStore,
  useStoreApi,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useRef } from 'react';
import { useGraphPrefs } from '../graph/graphPrefs.js';

/** Fitting never zooms out past this (11 px labels stay about 9 px, titles 10) nor in past MAX_ZOOM. */
export const MIN_FIT_ZOOM = 0.8;
const MAX_ZOOM = 1.2;
const PAD = 24;
/** Room left at the top for the toolbar and the filters. */
const TOP = 64;

/** The viewport that shows `extent` (graph coordinates from 0,0) in a width × height pane. */
export function fittedViewport(
  extent: { width: number; height: number },
  width: number,
  height: number,
): Viewport {
  const room = { width: Math.max(1, width - 2 * PAD), height: Math.max(1, height - PAD - TOP) };
  const wanted = Math.min(
    room.width / Math.max(1, extent.width),
    room.height / Math.max(1, extent.height),
    MAX_ZOOM,
  );
  if (wanted < MIN_FIT_ZOOM) return { x: PAD, y: TOP, zoom: MIN_FIT_ZOOM };
  return {
    x: PAD + (room.width - extent.width * wanted) / 2,
    y: TOP + (room.height - extent.height * wanted) / 2,
    zoom: wanted,
  };
}

const near = (a: Viewport, b: Viewport) =>
  Math.abs(a.x - b.x) < 1 && Math.abs(a.y - b.y) < 1 && Math.abs(a.zoom - b.zoom) < 0.001;

/**
 * Inside <ReactFlow>: fits on `signature` changes (unless the user chose a viewport), the fit button in
 * the controls fits and forgets the user's viewport; `onBusy` is true while the view moves.
 */
export function GraphViewport({
  signature,
  extent,
  onBusy,
}: {
  signature: string;
  extent: { width: number; height: number };
  onBusy: (busy: boolean) => void;
}) {
  const { setViewport } = useReactFlow();
  const store = useStoreApi();
  const sized = useStore((state) => state.width > 0 && state.height > 0);
  const extentRef = useRef(extent);
  extentRef.current = extent;
  const ours = useRef<Viewport | null>(null);
  // A wheel, a drag or the zoom buttons: a move that did not end at the last fit is the user's choice,
  // kept until the fit button (and while the graph view is away).
  useOnViewportChange({
    onEnd: (viewport) => {
      if (ours.current && near(ours.current, viewport)) return;
      useGraphPrefs.getState().set({ viewport });
    },
  });

  const fit = useCallback(
    (done: () => void) => {
      const { width, height } = store.getState();
      const target = fittedViewport(extentRef.current, width, height);
      ours.current = target;
      void setViewport(target, { duration: 200 }).finally(done);
    },
    [setViewport, store],
  );

  useEffect(() => {
    // Busy from the change until the fit's animation ends: nodes move meanwhile, so the graph says so
    // (aria-busy) and anything that clicks a node (a test, an assistive tool) can wait for it to settle.
    if (signature === '' || !sized || useGraphPrefs.getState().viewport) return onBusy(false);
    let current = true;
    onBusy(true);
    const timer = setTimeout(() => fit(() => current && onBusy(false)), 50);
    // A transition cut short (the pane hidden meanwhile) may never settle: the graph is not busy for good.
    const settled = setTimeout(() => current && onBusy(false), 1_000);
    return () => {
      current = false;
      clearTimeout(timer);
      clearTimeout(settled);
    };
  }, [signature, sized, fit, onBusy]);

  return (
    <Controls showInteractive={false} showFitView={false}>
      <ControlButton
        title="Fit the graph"
        aria-label="Fit the graph"
        onClick={() => {
          useGraphPrefs.getState().set({ viewport: null });
          onBusy(true);
          fit(() => onBusy(false));
        }}
      >
        ⤢
      </ControlButton>
    </Controls>
  );
}
