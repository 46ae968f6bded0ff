// TerminalSink (issue 12): the hub writes output into a client's terminal and counts it acked once
// written; notices (resize, exit) go over the connection, never ahead of output still waiting for the
// terminal.
import { describe, expect, it } from 'vitest';
import type { ClientTerminal } from './clientTerminal.js';
import type { StreamFrame } from './subscription.js';
import { TerminalSink } from './terminalSink.js';

function sinkWith() {
  const written: string[] = [];
  const pendingDone: Array<() => void> = [];
  const waiters: Array<() => void> = [];
  let full = false;
  const terminal = {
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
  const control: string[] = [];
  const sink = new TerminalSink(
    {
      send: (frame) => control.push(frame),
      sendStream: (frame) => control.push(frame.json),
      bufferedBytes: () => 0,
    },
    terminal as unknown as ClientTerminal,
  );
  const acked: number[] = [];
  sink.written = (chars) => acked.push(chars);
  return {
    sink,
    written,
    control,
    acked,
    fill: () => (full = true),
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

describe('TerminalSink', () => {
  it('writes output into the terminal and counts it acked; notices go over the connection', () => {
    const { sink, written, control, acked } = sinkWith();
    sink.sendStream(output('a'));
    sink.sendStream(notice('pty.resized'));
    sink.sendStream(output('b'));
    expect(written).toEqual(['a', 'b']);
    expect(control).toEqual(['{"type":"pty.resized"}']);
    expect(acked).toEqual([1, 1]);
  });

  it('sends a notice only once the output before it is in the terminal, and acks output as taken', () => {
    const { sink, control, acked, fill, drain } = sinkWith();
    fill();
    sink.sendStream(output('waits'));
    sink.sendStream(notice('pty.exit'));
    expect(control).toEqual([]);
    expect(acked).toEqual([]);
    drain();
    expect(acked).toEqual([5]);
    expect(control).toEqual(['{"type":"pty.exit"}']);
  });
});
