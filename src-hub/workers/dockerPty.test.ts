// The container TTY as a PtyProcess: UTF-8 characters split across chunks arrive whole, input and resizes
// go to the container, and the exit waits for the last bytes and for the runtime's bookkeeping.
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { dockerPty } from './dockerPty.js';

function fakeContainer() {
  let stop: (result: { StatusCode: number }) => void = () => undefined;
  const calls: unknown[] = [];
  const container = {
    wait: () => new Promise((resolve) => (stop = resolve)),
    resize: (options: unknown) => (calls.push(['resize', options]), Promise.resolve()),
    kill: (options: unknown) => (calls.push(['kill', options]), Promise.resolve()),
  };
  return {
    container: container as unknown as Docker.Container,
    calls,
    stop: (code: number) => stop({ StatusCode: code }),
  };
}

describe('dockerPty', () => {
  it('delivers whole characters, forwards input, resizes and signals, and reports the exit last', async () => {
    const { container, calls, stop } = fakeContainer();
    const stream = new PassThrough();
    const written: string[] = [];
    stream.on('data', (chunk: Buffer) => written.push(chunk.toString()));
    const order: string[] = [];
    const pty = dockerPty({
      container,
      stream,
      pid: 42,
      releasable: false,
      beforeExit: async (code) => void order.push(`before ${code}`),
      onError: (what, error) => order.push(`error ${what} ${String(error)}`),
    });
    let text = '';
    pty.onData((data) => (text += data));
    const exited = new Promise<{ exitCode: number; signal: number | null }>((resolve) => pty.onExit(resolve));
    const check = Buffer.from('ok ✓');
    stream.emit('data', check.subarray(0, 4)); // "ok " plus the first byte of ✓
    expect(text).toBe('ok ');
    stream.emit('data', check.subarray(4));
    expect(text).toBe('ok ✓');
    pty.resize(100, 30);
    pty.signal('SIGHUP');
    expect(calls).toEqual([
      ['resize', { w: 100, h: 30 }],
      ['kill', { signal: 'SIGHUP' }],
    ]);
    expect('release' in pty).toBe(false); // not releasable: it stops with the hub
    stop(137);
    stream.end();
    const exit = await exited;
    order.push('exit');
    expect(exit).toEqual({ exitCode: 137, signal: 9 });
    expect(order).toEqual(['before 137', 'exit']);
  });
});
