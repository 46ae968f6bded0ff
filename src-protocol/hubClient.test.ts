// HubClient on a linked transport: request/reply correlation, coded errors, and batched automatic acks.
import { describe, expect, it } from 'vitest';
import { ACK_BATCH_CHARS, HubClient } from './hubClient.js';
import { HubError } from './errors.js';
import { linkedTransports } from './transport.js';

function setup() {
  const [hubSide, clientSide] = linkedTransports();
  const received: Array<Record<string, unknown>> = [];
  hubSide.onMessage((frame) => received.push(JSON.parse(frame) as Record<string, unknown>));
  const client = new HubClient(clientSide, { autoAck: true, requestTimeoutMs: 1000 });
  const output = (data: string, offset = 0) =>
    hubSide.send(JSON.stringify({ type: 'pty.output', session: 's', offset, data }));
  return { hubSide, client, received, output };
}
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('HubClient', () => {
  it('resolves a request with its reply and rejects a coded error as HubError', async () => {
    const { hubSide, client, received } = setup();
    const listing = client.listSessions();
    await settle(0);
    hubSide.send(JSON.stringify({ type: 'session.list.result', replyTo: received[0]!.id, sessions: [] }));
    expect(await listing).toEqual([]);
    const kill = client.kill('nope');
    await settle(0);
    hubSide.send(
      JSON.stringify({
        type: 'error',
        replyTo: received[1]!.id,
        code: 'unknown_session',
        message: 'No session.',
      }),
    );
    await expect(kill).rejects.toBeInstanceOf(HubError);
  });

  it('batches automatic acks: one frame for many small outputs, at once for a large one', async () => {
    const { received, output } = setup();
    for (let index = 0; index < 50; index++) output('x'.repeat(10), index * 10);
    await settle(5);
    expect(received.filter((frame) => frame.type === 'pty.ack')).toEqual([]);
    await settle(40);
    expect(received.filter((frame) => frame.type === 'pty.ack')).toEqual([
      { type: 'pty.ack', session: 's', chars: 500 },
    ]);
    output('y'.repeat(ACK_BATCH_CHARS), 500);
    await settle(1);
    expect(received.filter((frame) => frame.type === 'pty.ack').at(-1)).toEqual({
      type: 'pty.ack',
      session: 's',
      chars: ACK_BATCH_CHARS,
    });
  });
});
