// The prompt injector on a fake Claude session: it types only at an idle prompt, waits for a prompt
// that just went idle to settle, and sends input to a long-idle one at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionStatus } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';
import { openDatabase, type HubDatabase } from '../store/database.js';
import { PendingInputStore } from '../store/pendingInput.js';
import { PromptInjector } from './promptInjector.js';

let dir: string;
let database: HubDatabase;
let written: string[];
let status: SessionStatus;
let injector: PromptInjector;
const delivered: string[] = [];

let acceptsInput = true;
const RULE = '─'.repeat(40);
/** Claude Code's empty input box, as drawn once its terminal UI is up. */
const EMPTY_BOX = ['banner', RULE, '❯ ', RULE, '  ⏸ manual mode on'];
/** What the fake session's screen shows (its input box: drawn before typing, read for the Enter retry). */
let screenLines: string[] = EMPTY_BOX;
let bracketedPaste = true;
const session = {
  id: 's1',
  kind: 'claude',
  isEnded: false,
  get acceptsInput() {
    return acceptsInput;
  },
  mirror: {
    get bracketedPasteMode() {
      return bracketedPaste;
    },
    flushed: () => Promise.resolve(),
    screen: () => ({ lines: screenLines }),
  },
  get status() {
    return status;
  },
  write: (data: string) => written.push(data),
} as unknown as Session;

function become(next: SessionStatus): void {
  status = next;
  injector.statusChanged(session);
}

beforeEach(() => {
  vi.useFakeTimers();
  acceptsInput = true;
  screenLines = EMPTY_BOX;
  bracketedPaste = true;
  dir = mkdtempSync(join(tmpdir(), 'switchboard-injector-'));
  database = openDatabase(dir);
  written = [];
  delivered.length = 0;
  status = 'starting';
  injector = new PromptInjector({
    store: new PendingInputStore(database),
    findSession: (id) => (id === 's1' ? session : undefined),
    settleMs: 200,
    enterDelayMs: 150,
  });
  injector.onDidDeliverTask((task) => delivered.push(task));
});
afterEach(() => {
  injector.dispose();
  vi.useRealTimers();
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PromptInjector', () => {
  it('keeps input until the session is idle, then waits for its prompt to settle', async () => {
    injector.enqueue('s1', 'first', 't1');
    await vi.advanceTimersByTimeAsync(1000);
    expect(written).toEqual([]); // still starting
    become('idle');
    await vi.advanceTimersByTimeAsync(199);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual(['\x1b[200~first\x1b[201~']);
    await vi.advanceTimersByTimeAsync(150);
    expect(written.at(-1)).toBe('\r');
    expect(delivered).toEqual(['t1']);
  });

  it('types at once into a session that has been idle for longer than the settle time', async () => {
    become('idle');
    await vi.advanceTimersByTimeAsync(5000);
    injector.enqueue('s1', 'later');
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(['\x1b[200~later\x1b[201~']);
  });

  it('types one input per turn: the next waits for the turn to start and end', async () => {
    become('idle');
    await vi.advanceTimersByTimeAsync(5000);
    injector.enqueue('s1', 'one');
    injector.enqueue('s1', 'two');
    await vi.advanceTimersByTimeAsync(1000);
    expect(written.filter((data) => data !== '\r')).toEqual(['\x1b[200~one\x1b[201~']);
    become('working');
    become('idle');
    await vi.advanceTimersByTimeAsync(199);
    expect(written.filter((data) => data !== '\r')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(written.filter((data) => data !== '\r')).toEqual([
      '\x1b[200~one\x1b[201~',
      '\x1b[200~two\x1b[201~',
    ]);
  });

  it('types nothing once disposed (hub closing: a session it ends may have lost its pty), and still stores input', async () => {
    injector.enqueue('s1', 'first');
    become('idle'); // a settle timer is armed
    await vi.advanceTimersByTimeAsync(100);
    injector.dispose();
    injector.enqueue('s1', 'for the next start');
    become('idle');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(written).toEqual([]);
    expect(injector.pending('s1')).toBe(2);
  });

  it('sends no Enter after dispose for a paste already typed', async () => {
    become('idle');
    await vi.advanceTimersByTimeAsync(5000);
    injector.enqueue('s1', 'one');
    await vi.advanceTimersByTimeAsync(0);
    injector.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    expect(written).toEqual(['\x1b[200~one\x1b[201~']);
  });

  it('sends no Enter into a process that exited after the paste (a timer must never throw)', async () => {
    become('idle');
    await vi.advanceTimersByTimeAsync(5000);
    injector.enqueue('s1', 'one');
    await vi.advanceTimersByTimeAsync(0);
    acceptsInput = false; // exited; a write now would throw session_ended from the timer
    await vi.advanceTimersByTimeAsync(1000);
    expect(written).toEqual(['\x1b[200~one\x1b[201~']);
  });

  it('waits for an idle session to draw its input box before typing (SessionStart comes before the UI)', async () => {
    screenLines = ['starting…'];
    bracketedPaste = false; // the terminal is still in cooked mode
    injector.enqueue('s1', 'first');
    become('idle');
    await vi.advanceTimersByTimeAsync(5000);
    expect(written).toEqual([]);
    bracketedPaste = true; // the UI starts: bracketed paste first, the box drawn after
    await vi.advanceTimersByTimeAsync(250);
    expect(written).toEqual(['\x1b[200~first\x1b[201~']);
  });

  it('types anyway when no input box has shown for 30 s (a screen it cannot read)', async () => {
    screenLines = ['some other drawing'];
    bracketedPaste = false;
    injector.enqueue('s1', 'first');
    become('idle');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1500);
    expect(written).toEqual(['first', '\r']);
  });

  describe('an Enter taken in with the paste (the task would sit in the box)', () => {
    const boxHolding = (text: string) => ['banner', '', RULE, `❯ ${text}`, '   ', RULE, '  ⏸ manual mode on'];

    it('presses Enter again while the box still holds the text and no turn has started, at most 3 times', async () => {
      become('idle');
      await vi.advanceTimersByTimeAsync(5000);
      injector.enqueue('s1', '[switchboard task t1] fix the build\n  details');
      await vi.advanceTimersByTimeAsync(150);
      expect(written.filter((data) => data === '\r')).toHaveLength(1);
      screenLines = boxHolding('[switchboard task t1] fix the build');
      await vi.advanceTimersByTimeAsync(2500);
      expect(written.filter((data) => data === '\r')).toHaveLength(2);
      await vi.advanceTimersByTimeAsync(20_000);
      expect(written.filter((data) => data === '\r')).toHaveLength(4); // the first and three more
    });

    it('presses nothing more once the turn has started, or when the box is empty', async () => {
      become('idle');
      await vi.advanceTimersByTimeAsync(5000);
      injector.enqueue('s1', 'first task');
      await vi.advanceTimersByTimeAsync(150);
      screenLines = boxHolding(''); // sent: the box is empty
      await vi.advanceTimersByTimeAsync(3000);
      expect(written.filter((data) => data === '\r')).toHaveLength(1);
      screenLines = boxHolding('first task');
      become('working'); // the hook came: the turn runs
      await vi.advanceTimersByTimeAsync(20_000);
      expect(written.filter((data) => data === '\r')).toHaveLength(1);
    });

    it('sees a long paste by its placeholder, and leaves text someone else typed alone', async () => {
      become('idle');
      await vi.advanceTimersByTimeAsync(5000);
      injector.enqueue('s1', 'line one\nline two\nline three');
      await vi.advanceTimersByTimeAsync(150);
      screenLines = boxHolding('[Pasted text #1 +3 lines]');
      await vi.advanceTimersByTimeAsync(2500);
      expect(written.filter((data) => data === '\r')).toHaveLength(2);
      screenLines = boxHolding('something a co-driver is typing');
      await vi.advanceTimersByTimeAsync(20_000);
      expect(written.filter((data) => data === '\r')).toHaveLength(2);
    });
  });
});
