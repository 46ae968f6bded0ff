// The web UI never takes a combination a browser keeps for itself; the desktop app keeps its short forms;
// each binding answers to the keys it shows.
import { describe, expect, it } from 'vitest';
import { BROWSER_KEEPS, KEYS, type Binding, type Keys, type ShortcutPlace } from './shortcutKeys.js';

const bindings: Array<[string, Binding]> = Object.entries(KEYS);

/** The event a label such as "Alt+Shift+N" or "Ctrl+Shift+→ / ←" names (its first form). */
function eventFor(label: string): Keys {
  const parts = label.split(' / ')[0]!.split('+');
  const key = parts.at(-1)!.replace('…9', '');
  const code =
    key === '→' ? 'ArrowRight' : key === '↓' ? 'ArrowDown' : /^\d$/.test(key) ? `Digit${key}` : `Key${key}`;
  return {
    ctrlKey: parts.includes('Ctrl'),
    shiftKey: parts.includes('Shift'),
    altKey: parts.includes('Alt'),
    metaKey: false,
    code,
  };
}

describe('shortcut keys', () => {
  it('takes no combination a browser keeps for itself in the web UI', () => {
    for (const kept of BROWSER_KEEPS)
      for (const [name, binding] of bindings)
        expect(binding.match(kept, 'browser'), `${name} takes ${JSON.stringify(kept)}`).toBe(false);
  });

  it.each<[ShortcutPlace]>([['desktop'], ['browser']])('answers in the %s to the keys it shows', (place) => {
    for (const [name, binding] of bindings) {
      const label = place === 'browser' ? (binding.browserKeys ?? binding.keys) : binding.keys;
      expect(binding.match(eventFor(label), place), `${name}: ${label}`).toBe(true);
    }
  });

  it('keeps the short forms in the desktop app, and they mean nothing in a browser', () => {
    expect(KEYS.newSession.match(eventFor('Ctrl+Shift+N'), 'desktop')).toBe(true);
    expect(KEYS.newSession.match(eventFor('Ctrl+Shift+N'), 'browser')).toBe(false);
    expect(KEYS.paneNumber.match(eventFor('Alt+3'), 'desktop')).toBe(true);
    expect(KEYS.paneNumber.match(eventFor('Alt+3'), 'browser')).toBe(false);
    expect(KEYS.paneNumber.match(eventFor('Alt+Shift+3'), 'browser')).toBe(true);
  });

  it('lets plain typing through in both places', () => {
    const typing: Keys[] = [
      { ctrlKey: true, shiftKey: false, altKey: false, metaKey: false, code: 'KeyC' },
      { ctrlKey: false, shiftKey: true, altKey: false, metaKey: false, code: 'KeyN' },
      { ctrlKey: false, shiftKey: false, altKey: false, metaKey: false, code: 'Digit1' },
    ];
    for (const place of ['desktop', 'browser'] as const)
      for (const event of typing)
        for (const [, binding] of bindings) expect(binding.match(event, place)).toBe(false);
  });
});
