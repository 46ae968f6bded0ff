// The delegation graph's own view settings (zustand): filters, grouping, folded subtrees, the legend's
// state and the viewport the user chose. Apart from the app store so the graph's changes stay in its files.
import { create } from 'zustand';
import type { GraphOptions } from './graphFilters.js';

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

export interface GraphPrefs extends GraphOptions {
  legendOpen: boolean;
  /** The viewport the user panned or zoomed to (null: fit the graph), kept while the view is away. */
  viewport: Viewport | null;
  set: (patch: Partial<Omit<GraphPrefs, 'set' | 'toggleFold'>>) => void;
  /** Folds a node's subtree away, or unfolds it. */
  toggleFold: (id: string) => void;
}

export const useGraphPrefs = create<GraphPrefs>()((set) => ({
  hideFinished: false,
  hideIdle: false,
  groupByRepo: false,
  collapsed: new Set<string>(),
  legendOpen: true,
  viewport: null,
  set: (patch) => set(patch),
  toggleFold: (id) =>
    set((state) => {
      const collapsed = new Set(state.collapsed);
      if (!collapsed.delete(id)) collapsed.add(id);
      return { collapsed };
    }),
}));
