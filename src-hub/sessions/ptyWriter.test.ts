// Input written straight into a real pty's master (issue 12): it arrives whole and in order, also when it
// is larger than the kernel's buffer (the rest queued, never blocking the hub), and nothing is written
// once the pty is gone.
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnNodePty, type PtyProcess } from './ptyHost.js';
import { PtyWriter } from './ptyWriter.js';

const running: PtyProcess[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const pty of running.splice(0)) pty.signal('SIGKILL');
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** `sh -c script` under a pty, its output gathered in `output()`, its exit awaited by `exited`. */
function spawn(script: string) {
  const pty = spawnNodePty({
    command: '/bin/sh',
    args: ['-c', script],
    cwd: process.cwd(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TERM: 'dumb' },
    cols: 80,
    rows: 24,
  });
  running.push(pty);
  let text = '';
  pty.onData((data) => (text += data));
  const exited = new Promise<void>((resolve) => pty.onExit(() => resolve()));
  return { pty, output: () => text, exited };
}

/** Printable, numbered, so a lost, doubled or reordered piece shows. */
function numbered(count: number): string {
  let text = '';
  for (let index = 0; index < count; index++) text += `<${index.toString().padStart(6, '0')}>`;
  return text;
}

describe('PtyWriter', () => {
  it('delivers a keystroke, and input larger than the kernel buffer whole and in order', async () => {
    // cat starts late: the first write fills the kernel's buffer and the rest must wait in the queue.
    const { pty, output } = spawn('stty raw -echo; printf READY; sleep 0.5; exec cat');
    await expect.poll(output).toContain('READY');
    const big = numbered(40_000); // 320,000 bytes
    pty.write(big);
    pty.write('<END>');
    const expected = `READY${big}<END>`;
    await expect.poll(() => output().length, { timeout: 20_000 }).toBeGreaterThanOrEqual(expected.length);
    expect(output()).toBe(expected);
    pty.write('x');
    await expect.poll(output).toBe(`${expected}x`);
  });

  it('queues what the kernel has no room for instead of blocking, and drains it in order', async () => {
    // A FIFO opened non-blocking stands in for the master fd: its 64K buffer fills the same way.
    const dir = mkdtempSync(join(tmpdir(), 'pty-writer-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'fifo');
    execFileSync('mkfifo', [path]);
    const fd = openSync(path, constants.O_RDWR | constants.O_NONBLOCK);
    cleanups.push(() => closeSync(fd));
    const writer = new PtyWriter({ fd, isOpen: () => true });
    const big = numbered(40_000); // 320,000 bytes
    writer.write('first');
    writer.write(big);
    expect(writer.queuedBytes).toBeGreaterThan(0); // a blocking write would have hung here instead
    writer.write('<END>');
    const chunk = Buffer.alloc(65_536);
    let read = '';
    await expect
      .poll(
        () => {
          try {
            for (let n; (n = readSync(fd, chunk)) > 0;) read += chunk.toString('utf8', 0, n);
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
          }
          return read.length;
        },
        { timeout: 20_000, interval: 5 },
      )
      .toBeGreaterThanOrEqual(`first${big}<END>`.length);
    expect(read).toBe(`first${big}<END>`);
    // The last write's callback (from libuv's pool) may come after its bytes were read: the queue empties then.
    await expect.poll(() => writer.queuedBytes).toBe(0);
  });

  it('writes nothing, and does not throw, once the pty has closed', async () => {
    const { pty, exited } = spawn('exit 0');
    await exited;
    expect(() => pty.write('late input')).not.toThrow();
    const closed = new PtyWriter({ fd: 1, isOpen: () => false });
    closed.write('must not reach stdout');
    expect(closed.queuedBytes).toBe(0);
  });
});
