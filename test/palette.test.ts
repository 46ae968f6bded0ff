// The one status palette (styles.css): every status has its own tone, the states a person must tell apart
// look different, and each colour is readable against the panels of its theme (WCAG AA for graphics, 3:1).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionStatusSchema, TaskStatusSchema } from '../src-protocol/index.js';

const css = readFileSync(join(import.meta.dirname, '..', 'src-renderer', 'styles.css'), 'utf8');

/** The custom properties declared in the block that starts with `selector {`. */
function variables(selector: string): Record<string, string> {
  const start = css.indexOf(`${selector} {`);
  expect(start, selector).toBeGreaterThanOrEqual(0);
  const block = css.slice(start, css.indexOf('\n}', start));
  return Object.fromEntries(
    [...block.matchAll(/(--[\w-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1]!, m[2]!]),
  );
}

const channel = (value: number) => {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
};
const rgb = (hex: string) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
const luminance = (hex: string) => {
  const [r, g, b] = rgb(hex).map(channel) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a: string, b: string) => {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
};
const distance = (a: string, b: string) => Math.hypot(...rgb(a).map((value, i) => value - rgb(b)[i]!));

/** The statuses whose tone the CSS sets (a selector list ending in a `--tone:` declaration). */
function tonedSelectors(): Set<string> {
  const toned = new Set<string>();
  for (const rule of css.matchAll(/([^{}]+)\{\s*--tone:/g))
    for (const selector of rule[1]!.split(',')) toned.add(selector.trim());
  return toned;
}

const themes = { dark: variables(':root'), light: variables(":root[data-theme='light']") };

describe('the status palette', () => {
  it.each(Object.entries(themes))(
    'is readable in the %s theme: 3:1 or more against every panel',
    (_, vars) => {
      const tones = Object.entries(vars).filter(([name]) => name.startsWith('--s-'));
      expect(tones.length).toBeGreaterThanOrEqual(9);
      for (const [name, colour] of tones)
        for (const surface of ['--bg', '--panel', '--panel-2'])
          expect(contrast(colour, vars[surface]!), `${name} on ${surface}`).toBeGreaterThanOrEqual(3);
    },
  );

  it.each(Object.entries(themes))(
    'tells done, failed, cancelled and needs-you apart in the %s theme',
    (_, vars) => {
      const apart = ['--s-done', '--s-failed', '--s-cancelled', '--s-needs-you'];
      for (const a of apart)
        for (const b of apart)
          if (a < b) expect(distance(vars[a]!, vars[b]!), `${a} vs ${b}`).toBeGreaterThan(60);
    },
  );

  it('gives every session and task status a tone, for dots, graph nodes and edges', () => {
    const toned = tonedSelectors();
    for (const status of SessionStatusSchema.options.filter((s) => s !== 'ended' && s !== 'unknown'))
      expect(toned, `.status-${status}`).toContain(`.status-${status}`);
    for (const status of TaskStatusSchema.options) {
      expect(toned, `.status-${status}`).toContain(`.status-${status}`);
      expect(toned, `.task-${status}`).toContain(`.task-${status}`);
    }
    for (const status of ['done', 'failed', 'blocked', 'cancelled', 'timed_out', 'unreported'])
      expect(toned, `.notice-${status}`).toContain(`.notice-${status}`);
  });

  it('every colour variable a stylesheet uses is declared (a renamed one would paint nothing)', () => {
    const root = join(import.meta.dirname, '..', 'src-renderer');
    const sheets = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.css'))
      .map((file) => readFileSync(join(root, file), 'utf8'));
    expect(sheets.length).toBeGreaterThan(1);
    const declared = new Set(
      sheets.flatMap((sheet) => [...sheet.matchAll(/(--[\w-]+)\s*:/g)].map((m) => m[1]!)),
    );
    const used = new Set(
      sheets.flatMap((sheet) => [...sheet.matchAll(/var\((--[\w-]+)/g)].map((m) => m[1]!)),
    );
    const missing = [...used].filter((name) => !declared.has(name) && !name.startsWith('--xy'));
    expect(missing).toEqual([]);
  });
});
