// Which panes are smaller than their session (issue 13), reported by their terminal controllers for the
// pane's size bar. Keyed by pane key (state/hubs.ts); apart from the app store so a report (which changes
// as a pane is dragged) re-renders only that bar.
import { create } from 'zustand';
import type { ViewReport } from '../terminal/viewFit.js';

interface PaneViews {
  reports: Record<string, ViewReport>;
  report(pane: string, report: ViewReport | undefined): void;
}

export const usePaneViews = create<PaneViews>()((set) => ({
  reports: {},
  report: (pane, report) =>
    set((state) => {
      if (!report && !(pane in state.reports)) return state;
      const reports = { ...state.reports };
      if (report) reports[pane] = report;
      else delete reports[pane];
      return { reports };
    }),
}));
