// ClientTerminal with its writer thread, on a real pseudo-terminal (issue 12): what the terminal does not
// take at once goes to the thread and arrives whole and in order, each write's callback in order, a notice
// waiting for all of it; a terminal let go with output still queued closes every descriptor it had.
import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntil } from '../../test/helpers.js';
import { spawnNodePty, type PtyProcess } from '../sessions/ptyHost.js';
import { openClientTerminal } from './clientTerminal.js';

let pty: PtyProcess | undefined;
afterEach(() => {
  pty?.signal('SIGKILL');
  pty = undefined;
});

/** A pty whose slave side stands for a client's terminal: what the hub writes there, its master reads. */
function clientPty() {
  pty = spawnNodePty({
    command: 'sleep',
    args: ['30'],
    cwd: '/',
    env: { PATH: '/usr/bin:/bin' },
    cols: 80,
    rows: 24,
  });
  const path = pty.ttyPath;
  if (!path) throw new Error('node-pty named no terminal');
  let received = '';
  pty.onData((data) => (received += data));
  const opening = openClientTerminal(path);
  if (!('terminal' in opening)) throw new Error(`not taken: ${opening.relay}`);
  return { pty, path, terminal: opening.terminal, received: () => received };
}

const openDescriptorsOf = (path: string) =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  }).length;

/** 64 lines' worth of text without newlines (the terminal would turn \n into \r\n), numbered. */
const chunk = (index: number) => `<${index}:${'x'.repeat(4090)}>`;

describe('ClientTerminal', () => {
  it('hands what the terminal does not take to the writer thread, and it all arrives in order', async () => {
    const { pty: master, terminal, received } = clientPty();
    master.pause(); // nobody reads the terminal: its buffer fills, writes must wait
    const order: number[] = [];
    let noticed = -1;
    for (let index = 0; index < 64; index++)
      terminal.write(Buffer.from(chunk(index)), () => order.push(index));
    expect(terminal.bufferedBytes).toBeGreaterThan(0);
    terminal.afterWrites(() => (noticed = order.length));
    expect(noticed).toBe(-1);
    master.resume();
    const expected = Array.from({ length: 64 }, (_, index) => chunk(index)).join('');
    await waitUntil(() => received().length >= expected.length, 10_000, 'every chunk to arrive');
    expect(received()).toBe(expected);
    await waitUntil(() => order.length === 64, 5_000, 'every callback');
    expect(order).toEqual(Array.from({ length: 64 }, (_, index) => index));
    expect(noticed).toBe(64);
    expect(terminal.bufferedBytes).toBe(0);
    // Nothing waits any more: the next write goes at once, on this thread.
    let now = false;
    terminal.write(Buffer.from('done'), () => (now = true));
    expect(now).toBe(true);
    terminal.close();
  });

  it('let go with output still queued: the notice runs, and no descriptor of the terminal stays open', async () => {
    const { pty: master, path, terminal } = clientPty();
    master.pause();
    const before = openDescriptorsOf(path);
    expect(before).toBeGreaterThan(0);
    let calls = 0;
    for (let index = 0; index < 64; index++) terminal.write(Buffer.from(chunk(index)), () => calls++);
    expect(terminal.bufferedBytes).toBeGreaterThan(0);
    let noticed = false;
    terminal.afterWrites(() => (noticed = true));
    terminal.close();
    expect(noticed).toBe(true);
    expect(terminal.bufferedBytes).toBe(0);
    await waitUntil(() => openDescriptorsOf(path) === 0, 5_000, `the descriptors of ${path} to close`);
    const afterClose = calls;
    terminal.write(Buffer.from('late'), () => calls++);
    expect(calls).toBe(afterClose);
  });
});
