// The screen half of the status engine: which questions count, and how it yields to hooks.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionStatus } from '../../src-protocol/index.js';
import { questionOnScreen, ScreenStatusWatch } from './screenStatus.js';

// Rows as the mirror rendered them for Claude Code 2.1.331 in an untrusted folder (trimmed).
const TRUST = [
  ' Accessing workspace:',
  ' /tmp/scratch/stranger',
  ' Quick safety check: Is this a project you created or one you trust? (Like your own code, a well-known open source',
  ' ❯ No, exit',
  '   Yes, I trust this folder',
  ' Enter to confirm · Esc to cancel',
];
const PERMISSION = [
  ' Tool use',
  '   hub — Echo Tool: (MCP)',
  ' Do you want to proceed?',
  ' ❯ 1. Yes',
  "   2. Yes, and don't ask again for hub — Echo commands in /repo",
  '   3. No',
];
const PROMPT = [
  '❯ RUNBASH please',
  '● Tool said: hi',
  '❯ ',
  '  ⏸ manual mode on · ? for shortcuts · ← for agents',
];

describe('questionOnScreen', () => {
  it('names the blocking questions Claude Code asks, and nothing on an ordinary prompt', () => {
    expect(questionOnScreen(TRUST)).toBe('folder trust');
    expect(questionOnScreen(PERMISSION)).toBe('permission');
    expect(questionOnScreen([' Do you want to use this API key?', ' Yes', ' ❯ No (recommended)'])).toBe(
      'API key',
    );
    expect(
      questionOnScreen([
        ' WARNING: Claude Code running in Bypass Permissions mode',
        ' ❯ No, exit',
        ' Yes, I accept',
      ]),
    ).toBe('bypass mode');
    expect(questionOnScreen(PROMPT)).toBeUndefined();
    // A reply that quotes a question, without its menu, is not one.
    expect(
      questionOnScreen(['● The script asks "Do you want to proceed?" before it deletes.', '❯ ']),
    ).toBeUndefined();
    expect(questionOnScreen([])).toBeUndefined();
  });
});

describe('ScreenStatusWatch', () => {
  let screen: string[];
  let status: SessionStatus;
  let changes: Array<[SessionStatus, string | undefined]>;
  let watch: ScreenStatusWatch;

  beforeEach(() => {
    vi.useFakeTimers();
    screen = [];
    status = 'starting';
    changes = [];
    watch = new ScreenStatusWatch({
      quietMs: 400,
      readScreen: async () => screen,
      status: () => status,
      setStatus: (next, question) => {
        status = next;
        changes.push([next, question]);
      },
    });
  });
  afterEach(() => {
    watch.dispose();
    vi.useRealTimers();
  });

  const quiet = () => vi.advanceTimersByTimeAsync(400);

  it('says waiting once output is quiet with a question on screen, and gives the old status back after', async () => {
    screen = TRUST;
    watch.output();
    await vi.advanceTimersByTimeAsync(399);
    expect(changes).toEqual([]); // still within the quiet period
    await vi.advanceTimersByTimeAsync(1);
    expect(changes).toEqual([['waiting', 'folder trust']]);
    screen = PROMPT;
    watch.output();
    await quiet();
    expect(changes.at(-1)).toEqual(['starting', undefined]);
  });

  it('keeps looking while output keeps coming, and reads only after it stops', async () => {
    screen = PERMISSION;
    for (let burst = 0; burst < 5; burst++) {
      watch.output();
      await vi.advanceTimersByTimeAsync(200);
    }
    expect(changes).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(changes).toEqual([['waiting', 'permission']]);
  });

  it('yields to hooks: once a hook set the status, a question leaving the screen restores nothing', async () => {
    status = 'idle';
    screen = TRUST;
    watch.output();
    await quiet();
    expect(status).toBe('waiting');
    watch.hookSet();
    status = 'working';
    screen = PROMPT;
    watch.output();
    await quiet();
    expect(changes).toEqual([['waiting', 'folder trust']]);
    expect(status).toBe('working');
  });

  it('leaves a waiting set by hooks alone, and never touches an ended session', async () => {
    status = 'waiting';
    screen = PERMISSION;
    watch.output();
    await quiet();
    status = 'ended';
    screen = TRUST;
    watch.output();
    await quiet();
    expect(changes).toEqual([]);
  });

  it('issue 11: an idle hook while a dialog is on screen keeps waiting, and idle comes once it has gone', async () => {
    status = 'working';
    screen = [
      "  Auto mode can't check actions in this session",
      '  Enter to stay in auto mode · shift+Tab to leave for accept edits mode and stop · Esc to cancel',
    ];
    watch.output();
    await quiet();
    expect(changes).toEqual([['waiting', 'auto mode']]);
    expect(watch.hookSet('idle')).toBe(false); // Claude Code's idle notification, the dialog still up
    await quiet();
    expect(status).toBe('waiting');
    screen = PROMPT;
    watch.output();
    await quiet();
    expect(changes.at(-1)).toEqual(['idle', undefined]);
    expect(watch.hookSet('working')).toBe(true);
  });
});
