// Output that arrives in the same read as the attach's answer is dispatched before `runAttach` resumes
// from its await: it must still be shown (after the snapshot) and acked, not dropped.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { HubClient, HubMessage, OutputFrame } from '../src-protocol/index.js';
import { ATTACH_ACK_DELAY_MS, DETACH_KEY, runAttach, type AttachIo } from './attachCommand.js';

function fakeClient() {
  const messageListeners = new Set<(message: HubMessage) => void>();
  const outputListeners = new Set<(frame: OutputFrame) => void>();
  const acks: number[] = [];
  const client = {
    self: { clientId: 'c-me' },
    isClosed: false,
    listSessions: async () => [{ id: 's1', name: 'one', status: 'running' }],
    onMessage: (listener: (message: HubMessage) => void) => messageListeners.add(listener),
    onOutput: (listener: (frame: OutputFrame) => void) => outputListeners.add(listener),
    onClose: () => undefined,
    attach: () => {
      // As ws delivers a read holding the answer and more: the frames after it reach the listeners at once.
      const snapshot = {
        type: 'pty.snapshot',
        replyTo: 1,
        session: 's1',
        role: 'owner',
        offset: 0,
        cols: 80,
        rows: 24,
        data: 'SCREEN',
      } as const;
      for (const listener of messageListeners) listener(snapshot);
      const bytes = Buffer.from('EARLY-OUTPUT');
      for (const listener of outputListeners)
        listener({ session: 's1', offset: 6, chars: bytes.length, bytes });
      for (const listener of messageListeners)
        listener({ type: 'pty.output', session: 's1', offset: 18, data: '-THEN-JSON' });
      return Promise.resolve(snapshot);
    },
    ack: (_session: string, chars: number) => acks.push(chars),
    detach: async () => ({ type: 'ok' }),
    type: () => true,
    resize: async () => ({ type: 'ok' }),
    close: () => undefined,
  };
  return { client: client as unknown as HubClient, acks };
}

describe('runAttach', () => {
  it('shows and acks output that came with the attach answer, after the snapshot', async () => {
    const { client, acks } = fakeClient();
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    let text = '';
    stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const io = { stdin, stdout, stderr: new PassThrough() } as unknown as AttachIo;
    const done = runAttach(client, 's1', true, io);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(text).toMatch(/SCREEN.*EARLY-OUTPUT.*-THEN-JSON/s);
    expect(text.match(/SCREEN/g)).toHaveLength(1); // the answer itself is not shown twice
    await new Promise((resolve) => setTimeout(resolve, ATTACH_ACK_DELAY_MS + 200)); // the gathered ack
    expect(acks.reduce((sum, chars) => sum + chars, 0)).toBe('EARLY-OUTPUT'.length + '-THEN-JSON'.length);
    stdin.write(DETACH_KEY);
    expect(await done).toBe(0);
  });
});
