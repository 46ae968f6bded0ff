// Dialogs read off the screen: their question, their own choices, and the keys that pick each (issue 11).
import { describe, expect, it } from 'vitest';
import { dialogOnScreen } from './screenDialogs.js';

// Rows as the hub's mirror rendered them for Claude Code 2.1.331 (trimmed to the dialog).
const PERMISSION = [
  '❯ RUN_BASH please',
  '● Making a marker file',
  '────────────────────────────────',
  ' Bash command',
  ' Do you want to proceed?',
  ' ❯ 1. Yes',
  '   2. Yes, and always allow access to /tmp/exp from this project',
  '   3. Yes, and switch to auto mode · auto mode handles these prompts for you',
  '   4. No',
  '',
  ' Esc to cancel · Tab to amend',
];
const TRUST = [
  ' Quick safety check: Is this a project you created or one you trust?',
  ' ❯ No, exit',
  '   Yes, I trust this folder',
  ' Enter to confirm · Esc to cancel',
];
const AUTO_MODE = [
  '❯ RUN_BASH please',
  '  Making a marker file',
  '────────────────────────────────',
  "  Auto mode can't check actions in this session",
  "  Auto mode's safety check runs on the server. Your requests go through 127.0.0.1:37443, and the",
  "  check isn't getting through.",
  '  Enter to stay in auto mode · shift+Tab to leave for accept edits mode and stop · Esc to cancel',
];

describe('dialogOnScreen', () => {
  it("reads a numbered menu: labels without their numbers, the cursor's option, arrows then Enter", () => {
    const dialog = dialogOnScreen(PERMISSION)!;
    expect(dialog.name).toBe('permission');
    expect(dialog.message).toBe('Do you want to proceed?');
    expect(dialog.choices.map(({ id, label, current }) => [id, label, current])).toEqual([
      ['1', 'Yes', true],
      ['2', 'Yes, and always allow access to /tmp/exp from this project', false],
      ['3', 'Yes, and switch to auto mode · auto mode handles these prompts for you', false],
      ['4', 'No', false],
    ]);
    expect(dialog.choices.map((choice) => choice.keys)).toEqual([
      ['\r'],
      ['\x1b[B', '\r'],
      ['\x1b[B\x1b[B', '\r'],
      ['\x1b[B\x1b[B\x1b[B', '\r'],
    ]);
  });

  it('reads an unnumbered menu, moving up from a cursor below the first option', () => {
    const moved = [TRUST[0]!, '   No, exit', ' ❯ Yes, I trust this folder', TRUST[3]!];
    expect(dialogOnScreen(TRUST)!.choices.map(({ label, current }) => [label, current])).toEqual([
      ['No, exit', true],
      ['Yes, I trust this folder', false],
    ]);
    expect(dialogOnScreen(moved)!.choices.map((choice) => choice.keys)).toEqual([['\x1b[A', '\r'], ['\r']]);
  });

  it('reads the auto-mode dialog by the keys it names', () => {
    const dialog = dialogOnScreen(AUTO_MODE)!;
    expect(dialog.name).toBe('auto mode');
    expect(dialog.message).toBe("Auto mode can't check actions in this session");
    expect(dialog.choices.map(({ label, keys }) => [label, keys])).toEqual([
      ['Stay in auto mode (Enter)', ['\r']],
      ['Leave for accept edits mode and stop (shift+Tab)', ['\x1b[Z']],
      ['Cancel (Esc)', ['\x1b']],
    ]);
  });

  it('finds no dialog on an ordinary prompt, or in a reply that only quotes one', () => {
    expect(dialogOnScreen(['❯ ', '  ⏸ manual mode on · ? for shortcuts'])).toBeUndefined();
    expect(
      dialogOnScreen(['● It said "Auto mode can\'t check actions" and "Enter to stay in auto mode".', '❯ ']),
    ).toBeUndefined();
  });
});
