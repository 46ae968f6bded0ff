// Pane layout: tabs, a grid of slots, focus, closing and cycling.
import { describe, expect, it } from 'vitest';
import {
  closePane,
  cyclePane,
  emptyLayout,
  focusedPane,
  pruneLayout,
  setGrid,
  showPane,
  visiblePanes,
} from './layout.js';

describe('layout', () => {
  it('shows a pane in the focused slot of a single grid; others stay open but hidden', () => {
    const layout = showPane(showPane(emptyLayout, 'a'), 'b');
    expect(layout.open).toEqual(['a', 'b']);
    expect(visiblePanes(layout)).toEqual(['b']);
  });

  it('fills a 2x2 grid with open panes, keeps the focused one visible, and shrinks back', () => {
    let layout = ['a', 'b', 'c', 'd', 'e'].reduce(showPane, emptyLayout);
    layout = setGrid(layout, 4);
    expect(visiblePanes(layout)).toEqual(['e', 'a', 'b', 'c']);
    expect(focusedPane(layout)).toBe('e');
    layout = showPane(layout, 'b');
    expect(layout.focused).toBe(2);
    layout = setGrid(layout, 1);
    expect(visiblePanes(layout)).toEqual(['b']);
  });

  it('puts a new pane into an empty slot first', () => {
    let layout = setGrid(showPane(emptyLayout, 'a'), 2);
    layout = showPane(layout, 'b');
    expect(layout.slots).toEqual(['a', 'b']);
  });

  it('closing a visible pane fills its slot with a hidden one', () => {
    let layout = ['a', 'b', 'c'].reduce(showPane, emptyLayout);
    layout = closePane(layout, 'c');
    expect(layout.open).toEqual(['a', 'b']);
    expect(visiblePanes(layout)).toEqual(['a']);
  });

  it('cycles through tabs and prunes panes of removed sessions', () => {
    let layout = ['a', 'b', 'c'].reduce(showPane, emptyLayout);
    layout = cyclePane(layout, 1);
    expect(focusedPane(layout)).toBe('a');
    layout = cyclePane(layout, -1);
    expect(focusedPane(layout)).toBe('c');
    layout = pruneLayout(layout, (id) => id !== 'c');
    expect(layout.open).toEqual(['a', 'b']);
    expect(focusedPane(layout)).toBe('a');
  });
});
