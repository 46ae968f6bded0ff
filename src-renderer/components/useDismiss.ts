// One way every popup here closes (menus, the shortcuts list, a pane's "⋯"): Escape, or a mouse press
// outside `ref`, both caught before the page's own handlers.
import { useEffect, useRef, type RefObject } from 'react';

export function useDismiss(ref: RefObject<HTMLElement | null>, onClose: () => void, active = true): void {
  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    if (!active) return;
    const away = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) close.current();
    };
    const escape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close.current();
    };
    window.addEventListener('mousedown', away, true);
    window.addEventListener('keydown', escape, true);
    return () => {
      window.removeEventListener('mousedown', away, true);
      window.removeEventListener('keydown', escape, true);
    };
  }, [ref, active]);
}
