// TerminalSink (issue 12): the hub writes a client's terminal while it keeps up; once output waits for it,
// frames wait until it has taken that and then go over the connection for the attach process to write,
// in order, until the client has acked them all; then the hub writes again.
import { describe, expect, it } from 'vitest';
import type { ClientTerminal } from './clientTerminal.js';
import type { StreamFrame } from './subscription.js';
import { TerminalSink } from './terminalSink.js';

function fakeTerminal() {
  const written: string[] = [];
  const pendingDone: Array<() => void> = [];
  const waiters: Array<() => void> = [];
  let full = false;
  const terminal = {
    get waiting() {
      return pendingDone.length > 0;
    },
    bufferedBytes: 0,
    write(bytes: Uint8Array, done: () => void) {
      written.push(Buffer.from(bytes).toString('utf8'));
      if (full) pendingDone.push(done);
      else done();
    },
    afterWrites(then: () => void) {
      if (pendingDone.length === 0) then();
      else waiters.push(then);
    },
    close() {},
  };
  return {
    terminal: terminal as unknown as ClientTerminal,
    written,
    /** The terminal stops taking output at once (its buffer is full). */
    fill: () => (full = true),
    /** It takes everything that waited. */
    drain: () => {
      full = false;
      for (const done of pendingDone.splice(0)) done();
      for (const then of waiters.splice(0)) then();
    },
  };
}

const output = (data: string): StreamFrame => ({
  json: JSON.stringify({ type: 'pty.output', data }),
  offset: 0,
  chars: data.length,
  output: { session: 's', data },
});
const notice = (type: string): StreamFrame => ({ json: JSON.stringify({ type }), offset: 0, chars: 0 });

function sinkWith() {
  const fake = fakeTerminal();
  const control: string[] = [];
  const sink = new TerminalSink(
    {
      send: (frame) => control.push(frame),
      sendStream: (frame) => control.push(frame.output ? `out:${frame.output.data}` : frame.json),
      bufferedBytes: () => 0,
    },
    fake.terminal,
  );
  const acked: number[] = [];
  sink.written = (chars) => acked.push(chars);
  return { ...fake, control, sink, acked };
}

describe('TerminalSink', () => {
  it('writes output into the terminal and counts it acked; notices go over the connection', () => {
    const { sink, written, control, acked } = sinkWith();
    sink.sendStream(output('a'));
    sink.sendStream(notice('pty.resized'));
    sink.sendStream(output('b'));
    expect(written).toEqual(['a', 'b']);
    expect(control).toEqual(['{"type":"pty.resized"}']);
    expect(acked).toEqual([1, 1]);
    expect(sink.mode).toBe('direct');
  });

  it('behind a flood: holds frames until the terminal drains, relays them in order, then writes again', () => {
    const { sink, written, control, fill, drain } = sinkWith();
    fill();
    sink.sendStream(output('first')); // taken in part: the rest waits
    sink.sendStream(output('second'));
    sink.sendStream(notice('pty.exit'));
    expect(sink.mode).toBe('draining');
    expect(written).toEqual(['first']);
    expect(control).toEqual([]); // nothing overtakes what waits for the terminal
    drain();
    expect(sink.mode).toBe('relay');
    expect(control).toEqual(['out:second', '{"type":"pty.exit"}']);
    sink.sendStream(output('third'));
    expect(control.at(-1)).toBe('out:third');
    sink.clientAcked('second'.length);
    expect(sink.mode).toBe('relay'); // 'third' is not acked yet: the client may still be writing it
    sink.clientAcked('third'.length);
    expect(sink.mode).toBe('direct');
    sink.sendStream(output('fourth'));
    expect(written.at(-1)).toBe('fourth');
  });

  it('goes back to writing at once when only notices waited (nothing for the client to ack)', () => {
    const { sink, written, control, fill, drain } = sinkWith();
    fill();
    sink.sendStream(output('big'));
    sink.sendStream(notice('pty.resized'));
    expect(sink.mode).toBe('draining');
    drain();
    expect(control).toEqual(['{"type":"pty.resized"}']);
    expect(sink.mode).toBe('direct');
    sink.sendStream(output('next'));
    expect(written.at(-1)).toBe('next');
  });
});
