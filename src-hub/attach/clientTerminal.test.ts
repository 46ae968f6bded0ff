// ClientTerminal with its writer thread, on a real pseudo-terminal (issue 12): what the terminal does not
// take at once goes to the thread and arrives whole and in order, each write's callback in order, a notice
// waiting for all of it; a terminal let go with output still queued closes every descriptor it had.
import { closeSync, constants, mkdtempSync, openSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { waitUntil } from '../../test/helpers.js';
import { spawnNodePty, type PtyProcess } from '../sessions/ptyHost.js';
import { ClientTerminal, openClientTerminal } from './clientTerminal.js';
import { TerminalWriter, writeRequest } from './terminalWriter.js';

const ptys: PtyProcess[] = [];
afterEach(() => {
  for (const pty of ptys.splice(0)) pty.signal('SIGKILL');
});

/** A pty whose slave side stands for a client's terminal: what the hub writes there, its master reads. */
function clientPty() {
  const pty = spawnNodePty({
    command: 'sleep',
    args: ['30'],
    cwd: '/',
    env: { PATH: '/usr/bin:/bin' },
    cols: 80,
    rows: 24,
  });
  const path = pty.ttyPath;
  ptys.push(pty);
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
    await terminal.close();
  });

  it('let go with output still queued: the notice runs, and once released no descriptor of it is open', async () => {
    const { pty: master, path, terminal } = clientPty();
    master.pause();
    expect(openDescriptorsOf(path)).toBeGreaterThan(0);
    let calls = 0;
    for (let index = 0; index < 64; index++) terminal.write(Buffer.from(chunk(index)), () => calls++);
    expect(terminal.bufferedBytes).toBeGreaterThan(0);
    let noticed = false;
    terminal.afterWrites(() => (noticed = true));
    const released = terminal.close();
    expect(noticed).toBe(true);
    expect(terminal.bufferedBytes).toBe(0);
    await released;
    // Resolved only once the writer thread let go: nothing of the hub's can write into it any more.
    expect(openDescriptorsOf(path)).toBe(0);
    const afterClose = calls;
    terminal.write(Buffer.from('late'), () => calls++);
    expect(calls).toBe(afterClose);
  });

  it('a terminal the writer thread cannot take fails alone; the thread goes on writing the others', async () => {
    const writer = new TerminalWriter();
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-writer-'));
    const file = openSync(join(directory, 'not-a-terminal'), 'w');
    try {
      // A real terminal with output waiting in the thread.
      const { pty: master, path, received, terminal: opened } = clientPty();
      await opened.close(); // this test's terminal goes through its own writer
      const terminal = new ClientTerminal(
        openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK),
        writer,
      );
      master.pause();
      const chunks = Array.from({ length: 64 }, (_, index) => chunk(index));
      for (const text of chunks.slice(0, 32)) terminal.write(Buffer.from(text), () => {});
      expect(terminal.bufferedBytes).toBeGreaterThan(0);

      const events: string[] = [];
      const notTerminal = writer.register({
        done: () => events.push('done'),
        letGo: () => events.push('let go'),
        failed: () => events.push('failed'),
      });
      // Handed to the thread as a terminal (as one that hung up before the thread took it would be).
      writer.write(notTerminal, file, Buffer.from('x'));
      await waitUntil(() => events.includes('failed'), 5_000, 'the failure');
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(events).toEqual(['failed']); // the thread lives on: nothing else was let go
      writer.close(notTerminal);
      await waitUntil(() => events.includes('let go'), 5_000, 'the thread to let go');

      for (const text of chunks.slice(32)) terminal.write(Buffer.from(text), () => {});
      master.resume();
      const expected = chunks.join('');
      await waitUntil(() => received().length >= expected.length, 10_000, 'the terminal to get all of it');
      expect(received()).toBe(expected);
      await terminal.close();
    } finally {
      closeSync(file);
      rmSync(directory, { recursive: true, force: true });
    }
  });
  it('a writer thread that dies fails the terminals it had, once each, and leaves no descriptor of them', async () => {
    const writer = new TerminalWriter();
    const { pty: master, path, terminal: opened } = clientPty();
    await opened.close(); // this test's terminal goes through its own writer
    const terminal = new ClientTerminal(
      openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK),
      writer,
    );
    master.pause();
    for (let index = 0; index < 64; index++) terminal.write(Buffer.from(chunk(index)), () => {});
    expect(terminal.bufferedBytes).toBeGreaterThan(0);
    const mainOnly = openDescriptorsOf(path);
    await waitUntil(() => openDescriptorsOf(path) > mainOnly, 5_000, 'the thread to open its own');
    const letGo = vi.spyOn(terminal, 'letGo');
    await (writer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await waitUntil(() => letGo.mock.calls.length > 0, 5_000, 'the terminal to be let go');
    expect(terminal.bufferedBytes).toBe(0);
    await terminal.close(); // resolved already
    await waitUntil(() => openDescriptorsOf(path) === 0, 5_000, `every descriptor of ${path} to close`);
    expect(letGo).toHaveBeenCalledTimes(1);
  });
});

describe('writeRequest', () => {
  it('keeps every write in its place, a shared buffer sent once (a replay after a snapshot stays after it)', () => {
    const [snapshotA, first, second, snapshotB] = ['SA', 'F1', 'F2', 'SB'].map((text) => Buffer.from(text));
    const request = writeRequest([
      { bytes: snapshotA!, id: 1, fd: 10 },
      { bytes: first!, id: 1, fd: 10 },
      { bytes: second!, id: 1, fd: 10 },
      { bytes: snapshotB!, id: 2, fd: 11 },
      { bytes: second!, id: 2, fd: 11 },
    ]);
    expect(request.buffers.map((bytes) => Buffer.from(bytes).toString())).toEqual(['SA', 'F1', 'F2', 'SB']);
    expect(request.writes).toEqual([
      [0, 1, 10],
      [1, 1, 10],
      [2, 1, 10],
      [3, 2, 11],
      [2, 2, 11],
    ]);
  });
});
