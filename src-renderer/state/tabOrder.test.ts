// Tab order is grid order: cells follow tabs; moving a tab (drag or keys) reorders tabs and so the grid.
import { describe, expect, it } from 'vitest';
import { emptyLayout, setGrid, showPane, type Layout } from './layout.js';
import { cellsBySlot, dropIndex, moveFocusedTab, moveTab } from './tabOrder.js';

const opened = (ids: string[], grid: 1 | 2 | 4): Layout => setGrid(ids.reduce(showPane, emptyLayout), grid);

/** The panes as drawn, cell by cell. */
const drawn = (layout: Layout) => {
  const cells = cellsBySlot(layout);
  const out = new Array<string | null>(layout.slots.length);
  layout.slots.forEach((slot, index) => (out[cells[index]!] = slot));
  return out;
};

describe('tab order is grid order (issue 13 item 7)', () => {
  it('draws visible panes in the order of their tabs, whatever slot they sit in', () => {
    const layout = opened(['a', 'b', 'c', 'd', 'e'], 4);
    expect(layout.slots).toEqual(['e', 'a', 'b', 'c']);
    expect(drawn(layout)).toEqual(['a', 'b', 'c', 'e']);
  });

  it('puts empty slots after the panes', () => {
    const layout: Layout = { open: ['a', 'b'], slots: [null, 'b', null, 'a'], focused: 1, grid: 4 };
    expect(drawn(layout)).toEqual(['a', 'b', null, null]);
    expect(cellsBySlot(layout)).toEqual([2, 1, 3, 0]);
  });

  it('moving a tab reorders the tabs and the grid follows; focus stays on the same pane', () => {
    const layout = opened(['a', 'b', 'c'], 2);
    expect(drawn(layout)).toEqual(['a', 'c']);
    const moved = moveTab(layout, 'c', 0);
    expect(moved.open).toEqual(['c', 'a', 'b']);
    expect(drawn(moved)).toEqual(['c', 'a']);
    expect(moved.slots[moved.focused]).toBe(layout.slots[layout.focused]);
  });

  it('clamps the target index and ignores panes that are not open', () => {
    const layout = opened(['a', 'b', 'c'], 1);
    expect(moveTab(layout, 'a', 99).open).toEqual(['b', 'c', 'a']);
    expect(moveTab(layout, 'a', -5)).toBe(layout);
    expect(moveTab(layout, 'zz', 0)).toBe(layout);
  });

  it('moves the focused tab one place with the keys, and stops at either end', () => {
    const layout = opened(['a', 'b', 'c'], 1); // c is focused, the last tab
    expect(moveFocusedTab(layout, 1)).toBe(layout);
    const left = moveFocusedTab(layout, -1);
    expect(left.open).toEqual(['a', 'c', 'b']);
    expect(moveFocusedTab(moveFocusedTab(left, -1), -1).open).toEqual(['c', 'a', 'b']);
    expect(moveFocusedTab(emptyLayout, -1)).toBe(emptyLayout);
  });

  it('drops a dragged tab before or after another one', () => {
    const open = ['a', 'b', 'c', 'd'];
    const drop = (moving: string, target: string, after: boolean) => {
      const layout: Layout = { open, slots: ['a'], focused: 0, grid: 1 };
      return moveTab(layout, moving, dropIndex(open, moving, target, after)).open.join('');
    };
    expect(drop('a', 'c', false)).toBe('bacd');
    expect(drop('a', 'c', true)).toBe('bcad');
    expect(drop('d', 'a', false)).toBe('dabc');
    expect(drop('d', 'b', true)).toBe('abdc');
    expect(drop('b', 'b', true)).toBe('abcd');
    expect(drop('a', 'd', true)).toBe('bcda');
  });
});
