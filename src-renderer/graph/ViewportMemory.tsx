// The graph's viewport comes back after a reload (issue 13): stored when a pan or zoom ends, put back once
// the first automatic fit has settled (`fitting` false), so the fit does not undo it.
import { useOnViewportChange, useReactFlow } from '@xyflow/react';
import { useEffect, useRef } from 'react';
import { rememberGraphViewport, savedGraphViewport } from '../state/windowMemory.js';

export function ViewportMemory({ fitting }: { fitting: boolean }) {
  const { setViewport } = useReactFlow();
  const restored = useRef(false);
  useOnViewportChange({ onEnd: (viewport) => restored.current && rememberGraphViewport(viewport) });
  useEffect(() => {
    if (fitting || restored.current) return;
    restored.current = true;
    const saved = savedGraphViewport();
    if (saved) void setViewport(saved);
  }, [fitting, setViewport]);
  return null;
}
