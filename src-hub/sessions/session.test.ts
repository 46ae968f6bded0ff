// A Session on a fake pty: how output is framed (an echo at once, a stream coalesced, order and offsets
// kept, nothing lost at exit) and that only Claude sessions read their screen for questions.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HubError } from '../../src-protocol/index.js';
import { Subscription } from '../attach/subscription.js';
import { LIMITS } from '../limits.js';
import { memoryLogger } from '../logger.js';
import type { PtyProcess } from './ptyHost.js';
import { Session, type SessionSpec } from './session.js';

class FakePty implements PtyProcess {
  readonly pid = 4242;
  private dataListener: (data: string) => void = () => undefined;
  private exitListener: (exit: { exitCode: number; signal: number | null }) => void = () => undefined;
  onData(listener: (data: string) => void) {
    this.dataListener = listener;
  }
  onExit(listener: (exit: { exitCode: number; signal: number | null }) => void) {
    this.exitListener = listener;
  }
  write() {}
  resize() {}
  pause() {}
  resume() {}
  signal() {}
  emit(data: string) {
    this.dataListener(data);
  }
  exit(exitCode: number) {
    this.exitListener({ exitCode, signal: null });
  }
}

function start(kind: 'claude' | 'command' = 'command') {
  const pty = new FakePty();
  const spec: SessionSpec = {
    id: 's1',
    name: 's1',
    kind,
    command: 'fake',
    args: [],
    cwd: '/',
    env: {},
    cols: 80,
    rows: 24,
    worktree: null,
  };
  const logger = memoryLogger();
  const session = new Session(spec, {
    spawn: () => pty,
    limits: { ...LIMITS },
    logger,
    now: () => Date.now(), // read at each call, so fake timers move it
    onChange: () => undefined,
    onLease: () => undefined,
  });
  const frames: Array<{ type: string; offset?: number; data?: string }> = [];
  const subscription = new Subscription(
    'c1',
    'observer',
    session,
    { send: (json) => frames.push(JSON.parse(json) as (typeof frames)[number]), bufferedBytes: () => 0 },
    LIMITS,
    () => undefined,
  );
  session.subscribe(subscription);
  return { pty, session, frames, subscription, logger };
}

const output = (frames: Array<{ type: string; offset?: number; data?: string }>) =>
  frames.filter((frame) => frame.type === 'pty.output');

afterEach(() => vi.useRealTimers());

async function waitUntil(check: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100 && !check(); turn++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('Session output framing', () => {
  it('sends output after a quiet spell at the end of the turn, and coalesces what follows closely', async () => {
    const { pty, frames, subscription } = start();
    await subscription.start();
    vi.useFakeTimers(); // Date.now, setImmediate and setTimeout under the test's control
    pty.emit('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(output(frames).map((frame) => frame.data)).toEqual(['a']); // an echo is not held back
    pty.emit('b');
    await vi.advanceTimersByTimeAsync(1);
    pty.emit('c');
    await vi.advanceTimersByTimeAsync(LIMITS.outputCoalesceMs - 2);
    expect(output(frames)).toHaveLength(1); // within 4 ms of the last frame: waiting to coalesce
    await vi.advanceTimersByTimeAsync(2);
    expect(output(frames).map((frame) => [frame.offset, frame.data])).toEqual([
      [0, 'a'],
      [1, 'bc'],
    ]);
  });

  it('sends the echo to whoever typed before the other clients (issue 12)', async () => {
    const { pty, session, subscription } = start();
    await subscription.start();
    const order: string[] = [];
    const watcher = (clientId: string) =>
      new Subscription(
        clientId,
        'driver',
        session,
        { send: (json) => json.includes('pty.output') && order.push(clientId), bufferedBytes: () => 0 },
        LIMITS,
        () => undefined,
      );
    for (const clientId of ['c2', 'c3']) {
      const other = watcher(clientId);
      session.subscribe(other);
      await other.start();
    }
    session.write('x', 'c3');
    pty.emit('x');
    await waitUntil(() => order.length === 2);
    session.write('y', 'c2');
    pty.emit('y');
    await waitUntil(() => order.length === 4);
    expect(order).toEqual(['c3', 'c2', 'c2', 'c3']);
  });

  it('keeps order and offsets across many chunks, and flushes a waiting batch before the exit', async () => {
    const { pty, frames, subscription } = start();
    await subscription.start();
    let expected = '';
    for (let index = 0; index < 500; index++) {
      const chunk = `line ${index}\r\n`;
      expected += chunk;
      pty.emit(chunk);
      if (index % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    pty.exit(0);
    // The exit notice comes after the drain (exitDrainMs); on a busy machine later: wait for it, bounded.
    for (let waited = 0; frames.at(-1)?.type !== 'pty.exit' && waited < 5_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const chunks = output(frames);
    expect(chunks.map((frame) => frame.data).join('')).toBe(expected);
    let offset = 0;
    for (const frame of chunks) {
      expect(frame.offset).toBe(offset);
      offset += frame.data!.length;
    }
    expect(chunks.length).toBeLessThan(50); // coalesced, not one frame per chunk
    expect(frames.at(-1)?.type).toBe('pty.exit'); // and nothing after the exit notice
  });
});

describe('Session screen status', () => {
  it('only a Claude session reads its screen for a question, and it stops at exit', async () => {
    vi.useFakeTimers();
    const command = start('command');
    command.pty.emit(' ❯ No, exit\r\n   Yes, I trust this folder\r\n');
    await vi.advanceTimersByTimeAsync(1000);
    expect(command.session.status).toBe('running');

    const claude = start('claude');
    claude.pty.emit(' ❯ No, exit\r\n   Yes, I trust this folder\r\n');
    await vi.advanceTimersByTimeAsync(1000);
    expect(claude.session.status).toBe('waiting');
    claude.pty.exit(0);
    await vi.advanceTimersByTimeAsync(LIMITS.exitDrainMs + 10);
    expect(claude.session.status).toBe('ended');
    expect(vi.getTimerCount()).toBe(0); // no screen timer left behind
  });
});

describe('Session resize on a closed pty', () => {
  // node-pty closes the master when the process exits, before its exit event reaches the session; a resize
  // in that gap used to throw EBADF: `internal` to the client, or an uncaught error from the debounce timer.
  function closedPty(started: ReturnType<typeof start>) {
    started.pty.resize = () => {
      throw new HubError('session_ended', 'The session has ended; it cannot be resized.');
    };
  }

  it('refuses the resize with session_ended, not internal', () => {
    const started = start();
    closedPty(started);
    expect(() => started.session.resize(100, 30)).toThrow(expect.objectContaining({ code: 'session_ended' }));
  });

  it('a resize waiting in the debounce window throws from no timer', async () => {
    vi.useFakeTimers();
    const started = start();
    started.session.resize(100, 30); // applied at once
    closedPty(started);
    started.session.resize(101, 31); // waits out the window
    await vi.advanceTimersByTimeAsync(LIMITS.resizeDebounceMs + 10); // throws here if the timer throws
    expect(() => started.session.resize(102, 32)).toThrow(expect.objectContaining({ code: 'session_ended' }));
  });
});
