// The hub's own server frames parse in `ws`'s receiver (what every Node client runs) as the message they
// carry, for each of the three length encodings and their edges.
import { Writable } from 'node:stream';
import * as ws from 'ws';
import { describe, expect, it } from 'vitest';
import { OPCODE_BINARY, OPCODE_TEXT, serverFrame } from './wireFrame.js';

type Receiver = Writable & {
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): void;
};
const { Receiver: ReceiverClass } = ws as unknown as {
  Receiver: new (options: { isServer: boolean; maxPayload: number }) => Receiver;
};

function receive(frames: Buffer[]): Promise<Array<{ data: Buffer; isBinary: boolean }>> {
  const receiver = new ReceiverClass({ isServer: false, maxPayload: 0 });
  const messages: Array<{ data: Buffer; isBinary: boolean }> = [];
  receiver.on('message', (data, isBinary) => messages.push({ data: Buffer.from(data), isBinary }));
  return new Promise((resolve, reject) => {
    receiver.on('error', reject);
    receiver.write(Buffer.concat(frames), () => resolve(messages));
  });
}

describe('serverFrame', () => {
  it('frames payloads of every length class so that ws reads them back whole', async () => {
    const lengths = [0, 1, 125, 126, 127, 0xffff, 0x10000, 200_000];
    const payloads = lengths.map((length, index) => Buffer.alloc(length, 97 + index));
    const frames = payloads.map((payload) => serverFrame(OPCODE_BINARY, payload));
    expect(frames.map((frame) => frame.length)).toEqual(
      lengths.map((length) => length + (length < 126 ? 2 : length < 0x10000 ? 4 : 10)),
    );
    const messages = await receive(frames);
    expect(messages.map((message) => message.isBinary)).toEqual(lengths.map(() => true));
    expect(messages.map((message) => message.data.equals(payloads[messages.indexOf(message)]!))).toEqual(
      lengths.map(() => true),
    );
  });

  it('frames text as a text message, UTF-8 intact', async () => {
    const text = 'échos ✓ 🎹 '.repeat(20);
    const [message] = await receive([serverFrame(OPCODE_TEXT, Buffer.from(text, 'utf8'))]);
    expect(message).toMatchObject({ isBinary: false });
    expect(message!.data.toString('utf8')).toBe(text);
  });
});
