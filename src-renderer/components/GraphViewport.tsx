// The delegation graph's viewport: fitted when the graph is first shown and when sessions join or leave
// it, unless the user panned or zoomed; kept as it is when the graph's size changes (a panel opening
// beside it). The fit keeps clear of the task list in the bottom-right corner. A graph that fits only below
// READABLE_FIT_ZOOM is shown at MIN_FIT_ZOOM from its top-left corner (the delegation tree's roots) instead
// of shrunk to dots, and a hint says how to see the rest.
import {
  ControlButton,
  Controls,
  Panel,
  useOnViewportChange,
  useReactFlow,
  useStore,
  useStoreApi,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useRef } from 'react';
import { useGraphPrefs } from '../graph/graphPrefs.js';
import { fittedViewport, type Size } from '../graph/viewportFit.js';

/** What the task list takes of the pane's bottom-right corner. */
function cornerTaken(pane: HTMLElement | null): Size | undefined {
  const list = pane?.parentElement?.querySelector('.graph-legend');
  if (!pane || !list) return undefined;
  const outer = pane.getBoundingClientRect();
  const box = list.getBoundingClientRect();
  return { width: outer.right - box.left, height: outer.bottom - box.top };
}

/** Whether part of `extent` lies outside the pane at the current viewport. */
function clipped(transform: [number, number, number], extent: Size, width: number, height: number) {
  const [x, y, zoom] = transform;
  if (extent.width <= 0 || extent.height <= 0 || width <= 0) return false;
  return x < -1 || y < -1 || x + extent.width * zoom > width + 1 || y + extent.height * zoom > height + 1;
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
  const outOfView = useStore((state) => clipped(state.transform, extent, state.width, state.height));
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
      const { width, height, domNode } = store.getState();
      const target = fittedViewport(extentRef.current, width, height, cornerTaken(domNode));
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
    <>
      {outOfView ? (
        <Panel position="bottom-left" className="graph-out-of-view" data-testid="graph-out-of-view">
          Part of the graph is out of view: drag to pan, scroll to zoom
        </Panel>
      ) : null}
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
    </>
  );
}
