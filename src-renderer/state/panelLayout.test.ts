// The sidebar's collapsed choice and the grid's splits as kept in localStorage, and how the store follows
// the viewport until the person chooses (issue 13 item 7).
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clampSplit,
  EVEN_SPLITS,
  MIN_SPLIT,
  storedCollapsed,
  storedSplits,
  usePanels,
} from './panelLayout.js';

const storage = (entries: Record<string, string>) => ({ getItem: (key: string) => entries[key] ?? null });

describe('panel layout', () => {
  beforeEach(() =>
    usePanels.setState({ sidebarCollapsed: false, sidebarChosen: false, splits: EVEN_SPLITS }),
  );

  it('reads the sidebar choice: collapsed, expanded, or never chosen', () => {
    expect(storedCollapsed(storage({ 'switchboard.sidebarCollapsed': '1' }))).toBe(true);
    expect(storedCollapsed(storage({ 'switchboard.sidebarCollapsed': '0' }))).toBe(false);
    expect(storedCollapsed(storage({ 'switchboard.sidebarCollapsed': 'yes' }))).toBeNull();
    expect(storedCollapsed(undefined)).toBeNull();
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
    };
    expect(storedCollapsed(broken)).toBeNull();
  });

  it('reads splits, clamping shares and ignoring malformed values', () => {
    expect(storedSplits(storage({ 'switchboard.splits': '{"column":0.3,"row":0.7}' }))).toEqual({
      column: 0.3,
      row: 0.7,
    });
    expect(storedSplits(storage({ 'switchboard.splits': '{"column":0.01,"row":"x"}' }))).toEqual({
      column: MIN_SPLIT,
      row: 0.5,
    });
    expect(storedSplits(storage({ 'switchboard.splits': 'not json' }))).toEqual(EVEN_SPLITS);
    expect(storedSplits(storage({ 'switchboard.splits': '42' }))).toEqual(EVEN_SPLITS);
    expect(clampSplit(Number.NaN)).toBe(0.5);
    expect(clampSplit(2)).toBe(1 - MIN_SPLIT);
  });

  it('follows the viewport until the person toggles, then keeps their choice', () => {
    usePanels.getState().viewportChanged(900);
    expect(usePanels.getState().sidebarCollapsed).toBe(true);
    usePanels.getState().viewportChanged(1280);
    expect(usePanels.getState().sidebarCollapsed).toBe(false);
    usePanels.getState().toggleSidebar();
    expect(usePanels.getState()).toMatchObject({ sidebarCollapsed: true, sidebarChosen: true });
    usePanels.getState().viewportChanged(1920);
    expect(usePanels.getState().sidebarCollapsed).toBe(true);
  });

  it('clamps a split so no pane gets narrower than the minimum share', () => {
    usePanels.getState().setSplit('column', 0.02);
    usePanels.getState().setSplit('row', 0.6);
    expect(usePanels.getState().splits).toEqual({ column: MIN_SPLIT, row: 0.6 });
  });
});
