// A pane that does not size its session (an observer, a driver without the lease) may be smaller than the
// session (issue 13). It then either fits the whole screen with a smaller font, or keeps its font and
// scrolls, shown at the bottom so the newest lines and the prompt stay in view. Pure decisions plus a
// small class the controller owns; the DOM work is behind `FitSurface` (xtermFactory.ts in the page).

export interface Size {
  cols: number;
  rows: number;
}

export type ViewMode = 'fit' | 'scroll';

/** What the pane tells its bar: the session's size and what fits the pane at the normal font. */
export interface ViewReport {
  session: Size;
  view: Size;
  mode: ViewMode;
}

/** The smallest font a fitted pane goes down to (px): below it the text is unreadable, so it scrolls. */
export const MIN_FIT_FONT_PX = 5;
/** Steps the font is lowered by when the first estimate still overflows (px). */
const FONT_STEP_PX = 0.5;

/** The part of a terminal the fitter drives (a fake in unit tests). */
export interface FitSurface {
  readonly baseFontSize: number;
  fontSize(): number;
  setFontSize(px: number): void;
  /** What fits the pane at the current font; undefined while not laid out. */
  proposeSize(): Size | undefined;
  /** Scrolls the pane to its bottom-left corner (the newest lines and the prompt). */
  scrollToEnd(): void;
}

export const fitsIn = (session: Size, view: Size) => session.cols <= view.cols && session.rows <= view.rows;

/** The first guess at a font that fits `session` into a pane where `view` fits at `base`. */
export function estimateFont(base: number, session: Size, view: Size): number {
  const ratio = Math.min(view.cols / session.cols, view.rows / session.rows, 1);
  return Math.max(MIN_FIT_FONT_PX, Math.floor(base * ratio * 2) / 2);
}

export class ViewFitter {
  private modeValue: ViewMode = 'fit';
  private last: string | undefined;

  constructor(
    private readonly surface: FitSurface,
    private readonly report: (report: ViewReport | undefined) => void,
  ) {}

  get mode(): ViewMode {
    return this.modeValue;
  }

  setMode(mode: ViewMode, session: Size | undefined): void {
    this.modeValue = mode;
    this.review(session, false);
  }

  /**
   * Called when the pane or the session changes size. `sizes`: this pane sizes the session itself (the
   * owner, the lease holder), so it never needs to fit; it keeps the normal font. Returns what fits the
   * pane at the normal font (the size this pane would give the session), undefined while not laid out.
   */
  review(session: Size | undefined, sizes: boolean): Size | undefined {
    const surface = this.surface;
    if (surface.fontSize() !== surface.baseFontSize) surface.setFontSize(surface.baseFontSize);
    const view = surface.proposeSize();
    if (sizes || !session || !view || fitsIn(session, view)) {
      this.tell(undefined);
      return view;
    }
    if (this.modeValue === 'fit') this.shrink(session, view);
    else surface.scrollToEnd();
    this.tell({ session, view, mode: this.modeValue });
    return view;
  }

  private shrink(session: Size, view: Size): void {
    const surface = this.surface;
    let font = estimateFont(surface.baseFontSize, session, view);
    surface.setFontSize(font);
    // Cells do not shrink exactly with the font (pixel rounding): step down until it fits.
    for (let proposed = surface.proposeSize(); proposed && !fitsIn(session, proposed);) {
      if (font <= MIN_FIT_FONT_PX) break;
      font = Math.max(MIN_FIT_FONT_PX, font - FONT_STEP_PX);
      surface.setFontSize(font);
      proposed = surface.proposeSize();
    }
    surface.scrollToEnd(); // at the smallest font it may still overflow: keep the prompt in view
  }

  private tell(report: ViewReport | undefined): void {
    const key = report ? JSON.stringify(report) : undefined;
    if (key === this.last) return;
    this.last = key;
    this.report(report);
  }
}
