// Reading Claude Code's input box off the screen (rows as 2.1.331 draws them, see the reference's §8).
import { describe, expect, it } from 'vitest';
import { promptBoxHolds, promptBoxRows } from './promptBox.js';

const RULE = '─'.repeat(120);
const screen = (...box: string[]) => [
  ' ▐▛███▛█   Claude Code v2.1.331',
  '❯ an earlier message                ',
  '● Hello from the scripted model.',
  RULE,
  ...box,
  RULE,
  '  ⏸ manual mode on · ? for shortcuts',
];

describe('promptBox', () => {
  it('finds the rows between the last two rules, and nothing on a screen without a box', () => {
    expect(promptBoxRows(screen('❯ hello', '  world'))).toEqual(['❯ hello', '  world']);
    expect(promptBoxRows(['just output', '────'])).toBeUndefined();
  });

  it('holds a typed text by its first line, wrapped or not; not an empty box nor other text', () => {
    const text = '[switchboard task 9b1a8479] policy-child (from policy-root)\n  RUN_BASH marker';
    expect(
      promptBoxHolds(screen('❯ [switchboard task 9b1a8479] policy-child', '  RUN_BASH marker', '   '), text),
    ).toBe(true);
    expect(promptBoxHolds(screen('❯  '), text)).toBe(false);
    expect(promptBoxHolds(screen('❯ something else'), text)).toBe(false);
    // The same text above the box (a message already sent) does not count.
    expect(promptBoxHolds(['❯ [switchboard task 9b1a8479] policy-child', RULE, '❯ ', RULE], text)).toBe(
      false,
    );
  });

  it("holds a long paste shown as Claude Code's placeholder", () => {
    expect(promptBoxHolds(screen('❯ [Pasted text #1 +3 lines] '), 'a\nb\nc')).toBe(true);
  });
});
