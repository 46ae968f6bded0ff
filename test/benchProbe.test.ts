// The bench's reading of terminal output (bench/lib/probe.mjs): the marker a flood ends with is found after
// a resync that cut a colour sequence short (a terminal drops a sequence the next ESC interrupts), and a
// sequence still incomplete at the end of what arrived so far is cut off, not shown as text.
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain .mjs module of the bench, without types
import { visibleText } from '../bench/lib/probe.mjs';

const visible = visibleText as (raw: string) => string;

describe('visibleText', () => {
  it('drops a CSI cut short by the next ESC, as a terminal does', () => {
    const resynced = 'ok\r\n\x1b[32\x1b[H\x1b[2J\x1b[32mINFO\x1b[0m x\r\nFLOOD-END\x1b[1B\x1b[15D';
    expect(visible(resynced)).toBe('ok\r\nINFO x\r\nFLOOD-END');
  });

  it('cuts a sequence still incomplete at the end', () => {
    expect(visible('abc\x1b[3')).toBe('abc');
    expect(visible('abc\x1b]0;title')).toBe('abc');
  });
});
