// Terminal replies from clients never reach the program; typed text and keys do.
import { describe, expect, it } from 'vitest';
import { stripTerminalReplies } from './inputFilter.js';

describe('stripTerminalReplies', () => {
  it.each([
    ['cursor position report', '\x1b[12;40R'],
    ['primary device attributes', '\x1b[?1;2c'],
    ['secondary device attributes', '\x1b[>0;276;0c'],
    ['DECRPM', '\x1b[?2026;2$y'],
    ['OSC 11 background colour', '\x1b]11;rgb:1e1e/1e1e/1e1e\x1b\\'],
    ['OSC 10 with BEL', '\x1b]10;rgb:ffff/ffff/ffff\x07'],
    ['XTVERSION', '\x1bP>|xterm.js(6.0.0)\x1b\\'],
    ['kitty keyboard flags', '\x1b[?0u'],
  ])('drops a %s', (_name, reply) => {
    expect(stripTerminalReplies(`a${reply}b`, true)).toBe('ab');
  });

  it('keeps what people type: text, arrows, function keys, bracketed paste, Ctrl-C', () => {
    const typed = 'ls -la\r\x1b[A\x1b[B\x1bOP\x1b[15~\x1b[200~pasted\x1b[201~\x03';
    expect(stripTerminalReplies(typed, false)).toBe(typed);
  });

  it('passes focus reports only for the driving participant', () => {
    expect(stripTerminalReplies('\x1b[I\x1b[O', true)).toBe('\x1b[I\x1b[O');
    expect(stripTerminalReplies('x\x1b[Iy', false)).toBe('xy');
  });
});
