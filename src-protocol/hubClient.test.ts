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

  it('types without an id and hears a refusal by the session it names, and nothing else as one', async () => {
    const { hubSide, client, received } = setup();
    const refusals: Array<[string, HubError]> = [];
    client.onRefusal((session, error) => refusals.push([session, error]));
    expect(client.type('s1', 'ls\r')).toBe(true);
    await settle(0);
    expect(received).toEqual([{ type: 'pty.input', session: 's1', data: 'ls\r' }]);
    const kill = client.kill('s2');
    await settle(0);
    const error = (extra: Record<string, unknown>) =>
      hubSide.send(JSON.stringify({ type: 'error', code: 'lease_held', message: 'Ask for it.', ...extra }));
    error({ replyTo: received[1]!.id }); // a request's error: its promise, not a refusal
    error({}); // an older hub's refusal names no session: nothing to route it by
    error({ session: 's1' });
    await expect(kill).rejects.toMatchObject({ code: 'lease_held' });
    await settle(0);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]![0]).toBe('s1');
    expect(refusals[0]![1]).toBeInstanceOf(HubError);
    expect(refusals[0]![1]).toMatchObject({ code: 'lease_held', message: 'Ask for it.' });
  });

  it('sends no keystroke on a closed connection and says so with the words a request rejects with', async () => {
    const { hubSide, client, received } = setup();
    expect(client.closedError()).toBeUndefined();
    hubSide.close();
    expect(client.type('s1', 'x')).toBe(false);
    await settle(0);
    expect(received).toEqual([]);
    const closed = client.closedError();
    expect(closed).toMatchObject({
      code: 'internal',
      message: 'Connection to the hub is closed (peer closed).',
    });
    await expect(client.listSessions()).rejects.toMatchObject({ message: closed!.message });
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
