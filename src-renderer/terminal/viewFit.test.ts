// Issue 13: a pane smaller than its session fits it with a smaller font or scrolls to the newest lines.
import { describe, expect, it } from 'vitest';
import { estimateFont, MIN_FIT_FONT_PX, ViewFitter, type FitSurface, type ViewReport } from './viewFit.js';

/** A pane of `width` x `height` px whose cells are 0.6 x 1.2 of the font, rounded up as browsers do. */
class FakeSurface implements FitSurface {
  readonly baseFontSize = 13;
  font = 13;
  scrolled = 0;
  constructor(
    public width: number,
    public height: number,
  ) {}
  fontSize() {
    return this.font;
  }
  setFontSize(px: number) {
    this.font = px;
  }
  proposeSize() {
    const cellWidth = Math.ceil(this.font * 0.6 * 10) / 10;
    const cellHeight = Math.ceil(this.font * 1.2);
    return { cols: Math.floor(this.width / cellWidth), rows: Math.floor(this.height / cellHeight) };
  }
  scrollToEnd() {
    this.scrolled++;
  }
}

function fitter(width = 1040, height = 640) {
  const surface = new FakeSurface(width, height);
  const reports: Array<ViewReport | undefined> = [];
  return { surface, reports, subject: new ViewFitter(surface, (report) => reports.push(report)) };
}

describe('ViewFitter', () => {
  it('shrinks the font until the whole session fits, and reports both sizes', () => {
    const { surface, reports, subject } = fitter();
    const view = surface.proposeSize();
    subject.review({ cols: 207, rows: 64 }, false);
    expect(surface.font).toBeLessThan(13);
    const shown = surface.proposeSize();
    expect(shown.cols).toBeGreaterThanOrEqual(207);
    expect(shown.rows).toBeGreaterThanOrEqual(64);
    expect(reports).toEqual([{ session: { cols: 207, rows: 64 }, view, mode: 'fit' }]);
  });

  it('scroll mode keeps the normal font and shows the newest lines', () => {
    const { surface, reports, subject } = fitter();
    subject.review({ cols: 207, rows: 64 }, false);
    subject.setMode('scroll', { cols: 207, rows: 64 });
    expect(surface.font).toBe(13);
    expect(surface.scrolled).toBeGreaterThan(0);
    expect(reports.at(-1)?.mode).toBe('scroll');
  });

  it('reports nothing and keeps the normal font when the session fits, or when the pane sizes it', () => {
    const { surface, reports, subject } = fitter();
    subject.review({ cols: 207, rows: 64 }, false);
    subject.review({ cols: 207, rows: 64 }, true);
    expect(surface.font).toBe(13);
    expect(reports.at(-1)).toBeUndefined();
    subject.review({ cols: 80, rows: 24 }, false);
    expect(surface.font).toBe(13);
    expect(reports).toHaveLength(2); // an unchanged report is not repeated
  });

  it('never goes below the smallest readable font, and then keeps the prompt in view', () => {
    const { surface, subject } = fitter(200, 100);
    subject.review({ cols: 400, rows: 200 }, false);
    expect(surface.font).toBe(MIN_FIT_FONT_PX);
    expect(surface.scrolled).toBeGreaterThan(0);
  });

  it('estimates from the ratio of the two sizes and never above the normal font', () => {
    expect(estimateFont(13, { cols: 200, rows: 50 }, { cols: 100, rows: 50 })).toBe(6.5);
    expect(estimateFont(13, { cols: 80, rows: 24 }, { cols: 100, rows: 50 })).toBe(13);
  });
});
