// WCAG contrast of what the page actually paints: each text's colour (with its opacity and that of every
// ancestor) against the background composited beneath it, and a status dot's fill against its panel.
import type { Page } from 'playwright-core';

export interface LowContrast {
  text: string;
  ratio: number;
  needed: number;
}

/**
 * The texts (and `.status-dot`s) inside `selector` whose contrast is under WCAG AA: 4.5:1 for text
 * (3:1 when large), 3:1 for a dot, a graphic.
 */
export function lowContrast(page: Page, selector: string): Promise<LowContrast[]> {
  return page.evaluate((root) => {
    type Rgba = { r: number; g: number; b: number; a: number };
    const parse = (css: string): Rgba | null => {
      const match = /rgba?\(([^)]+)\)/.exec(css);
      if (!match) return null;
      const [r = 0, g = 0, b = 0, a = 1] = match[1]!
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return { r, g, b, a };
    };
    const over = (top: Rgba, under: Rgba): Rgba => ({
      r: top.r * top.a + under.r * (1 - top.a),
      g: top.g * top.a + under.g * (1 - top.a),
      b: top.b * top.a + under.b * (1 - top.a),
      a: 1,
    });
    const luminance = ({ r, g, b }: Rgba) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a: Rgba, b: Rgba) => {
      const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
      return (high + 0.05) / (low + 0.05);
    };
    /** The opacity an element is painted with: its own times every ancestor's. */
    const opacity = (element: Element | null) => {
      let value = 1;
      for (let at = element; at; at = at.parentElement) value *= Number(getComputedStyle(at).opacity);
      return value;
    };
    /** The colour under an element: its ancestors' backgrounds, composited from the page up. */
    const background = (element: Element | null): Rgba => {
      const layers: Rgba[] = [];
      for (let at = element; at; at = at.parentElement) {
        const colour = parse(getComputedStyle(at).backgroundColor);
        if (colour && colour.a > 0) layers.push({ ...colour, a: colour.a * opacity(at) });
        if (colour?.a === 1) break;
      }
      return layers.reverse().reduce((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
    };
    const found: { text: string; ratio: number; needed: number }[] = [];
    for (const scope of document.querySelectorAll(root)) {
      const walker = document.createTreeWalker(scope, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!node.textContent?.trim() || !element || element.getClientRects().length === 0) continue;
        const style = getComputedStyle(element);
        const under = background(element);
        const colour = parse(style.color)!;
        const seen = ratio(over({ ...colour, a: colour.a * opacity(element) }, under), under);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        const needed = large ? 3 : 4.5;
        if (seen < needed) found.push({ text: node.textContent.trim(), ratio: seen, needed });
      }
      for (const dot of scope.querySelectorAll('.status-dot')) {
        if (dot.getClientRects().length === 0) continue;
        const under = background(dot.parentElement);
        const fill = parse(getComputedStyle(dot).backgroundColor)!;
        const seen = ratio(over({ ...fill, a: fill.a * opacity(dot) }, under), under);
        if (seen < 3) found.push({ text: `dot ${dot.parentElement?.className}`, ratio: seen, needed: 3 });
      }
    }
    return found.map((entry) => ({ ...entry, ratio: Math.round(entry.ratio * 100) / 100 }));
  }, selector);
}
