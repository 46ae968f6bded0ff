// Dragging a tab to reorder the tabs (HTML5 drag and drop); the grid follows the tab order (state/tabOrder.ts).
import { useState, type DragEvent } from 'react';
import { useApp } from '../state/store.js';
import { dropIndex, moveTab } from '../state/tabOrder.js';

/** Only our own tabs are accepted as drops: files or text dragged in from elsewhere are not. */
const TAB_TYPE = 'application/x-switchboard-tab';

interface DropMark {
  target: string;
  after: boolean;
}

/** Props for each tab's element, and the drop mark to draw (which tab, which side). */
export function useTabDrag() {
  const [mark, setMark] = useState<DropMark | null>(null);
  const sideOf = (event: DragEvent<HTMLElement>) => {
    const box = event.currentTarget.getBoundingClientRect();
    return event.clientX > box.left + box.width / 2;
  };
  const tabProps = (id: string) => ({
    draggable: true,
    onDragStart: (event: DragEvent<HTMLElement>) => {
      event.dataTransfer.setData(TAB_TYPE, id);
      event.dataTransfer.effectAllowed = 'move';
    },
    onDragOver: (event: DragEvent<HTMLElement>) => {
      if (!event.dataTransfer.types.includes(TAB_TYPE)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      const after = sideOf(event);
      if (mark?.target !== id || mark.after !== after) setMark({ target: id, after });
    },
    onDragLeave: () => setMark((current) => (current?.target === id ? null : current)),
    onDrop: (event: DragEvent<HTMLElement>) => {
      const moving = event.dataTransfer.getData(TAB_TYPE);
      setMark(null);
      if (!moving) return;
      event.preventDefault();
      const { layout } = useApp.getState().ui;
      const to = dropIndex(layout.open, moving, id, sideOf(event));
      useApp.getState().setUi({ layout: moveTab(layout, moving, to) });
    },
    onDragEnd: () => setMark(null),
  });
  const markOf = (id: string) => (mark?.target === id ? (mark.after ? ' drop-after' : ' drop-before') : '');
  return { tabProps, markOf };
}
