// The window's panel geometry, kept in this browser (localStorage): whether the sidebar is collapsed and where
// the grid's splits sit. A store of its own, so the hub projection and the pane layout stay as they are.
import { create } from 'zustand';

/** Below this viewport width the sidebar starts collapsed, until the person chooses (issue 13 item 7). */
export const NARROW_VIEWPORT_PX = 1000;
/** A split never leaves a pane narrower than this share of the grid. */
export const MIN_SPLIT = 0.15;
const SIDEBAR_KEY = 'switchboard.sidebarCollapsed';
const SPLITS_KEY = 'switchboard.splits';

export interface Splits {
  /** The left column's share of the grid's width (2 and 4 panes). */
  column: number;
  /** The top row's share of the grid's height (4 panes). */
  row: number;
}

export const EVEN_SPLITS: Splits = { column: 0.5, row: 0.5 };

export const clampSplit = (share: number): number =>
  Number.isFinite(share) ? Math.min(1 - MIN_SPLIT, Math.max(MIN_SPLIT, share)) : 0.5;

/** The stored choice, or null when the person never chose (then the viewport's width decides). */
export function storedCollapsed(storage: Pick<Storage, 'getItem'> | undefined): boolean | null {
  const value = read(storage, SIDEBAR_KEY);
  return value === '1' ? true : value === '0' ? false : null;
}

/** Splits from storage; anything unreadable or out of range falls back to even or clamped shares. */
export function storedSplits(storage: Pick<Storage, 'getItem'> | undefined): Splits {
  try {
    const parsed = JSON.parse(read(storage, SPLITS_KEY) ?? 'null') as Partial<Splits> | null;
    if (typeof parsed !== 'object' || parsed === null) return EVEN_SPLITS;
    return {
      column: typeof parsed.column === 'number' ? clampSplit(parsed.column) : 0.5,
      row: typeof parsed.row === 'number' ? clampSplit(parsed.row) : 0.5,
    };
  } catch {
    return EVEN_SPLITS;
  }
}

function read(storage: Pick<Storage, 'getItem'> | undefined, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Storage may be disabled; the choice then lasts for this page only.
  }
}

const storage = (): Storage | undefined => {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
};

export interface PanelLayout {
  sidebarCollapsed: boolean;
  /** True once the person toggled the sidebar: the viewport's width no longer decides. */
  sidebarChosen: boolean;
  splits: Splits;
  toggleSidebar: () => void;
  /** Follows the viewport's width while the person has not chosen. */
  viewportChanged: (width: number) => void;
  setSplit: (axis: keyof Splits, share: number) => void;
}

const initialCollapsed = storedCollapsed(storage());
/** Unit tests import this module without a window. */
const viewportWidth = typeof window === 'undefined' ? Infinity : window.innerWidth;

export const usePanels = create<PanelLayout>()((set) => ({
  sidebarCollapsed: initialCollapsed ?? viewportWidth < NARROW_VIEWPORT_PX,
  sidebarChosen: initialCollapsed !== null,
  splits: storedSplits(storage()),
  toggleSidebar: () =>
    set((state) => {
      write(SIDEBAR_KEY, state.sidebarCollapsed ? '0' : '1');
      return { sidebarCollapsed: !state.sidebarCollapsed, sidebarChosen: true };
    }),
  viewportChanged: (width) =>
    set((state) =>
      state.sidebarChosen || state.sidebarCollapsed === width < NARROW_VIEWPORT_PX
        ? state
        : { sidebarCollapsed: width < NARROW_VIEWPORT_PX },
    ),
  setSplit: (axis, share) =>
    set((state) => {
      const splits = { ...state.splits, [axis]: clampSplit(share) };
      write(SPLITS_KEY, JSON.stringify(splits));
      return { splits };
    }),
}));
