// A subscription on fakes: snapshot then queued frames from its offset, credit, resync and recovery.
import { describe, expect, it } from 'vitest';
import { Subscription, type StreamFrame } from './subscription.js';

const frame = (offset: number, data: string): StreamFrame => ({
  json: JSON.stringify({ type: 'pty.output', session: 's', offset, data }),
  offset,
  chars: data.length,
});

function setup(creditChars = 10) {
  const sent: Array<Record<string, unknown>> = [];
  let buffered = 0;
  let release: (value: { offset: number; cols: number; rows: number; data: string }) => void = () =>
    undefined;
  const source = {
    id: 's',
    snapshot: () =>
      new Promise<{ offset: number; cols: number; rows: number; data: string }>(
        (resolve) => (release = resolve),
      ),
    exitFrame: () => undefined,
  };
  const sink = {
    send: (json: string) => void sent.push(JSON.parse(json) as Record<string, unknown>),
    bufferedBytes: () => buffered,
  };
  const resyncs: string[] = [];
  const subscription = new Subscription(
    'c1',
    'observer',
    source,
    sink,
    { creditChars, socketBacklogBytes: 100 },
    (reason) => resyncs.push(reason),
  );
  return {
    subscription,
    sent,
    resyncs,
    snapshot: (offset: number) => release({ offset, cols: 80, rows: 24, data: 'S' }),
    setBuffered: (bytes: number) => (buffered = bytes),
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Subscription', () => {
  it('sends the snapshot first, then frames from its offset on, dropping older ones', async () => {
    const { subscription, sent, snapshot } = setup(100);
    const started = subscription.start(7);
    subscription.deliver(frame(0, 'old'));
    subscription.deliver(frame(3, 'new'));
    snapshot(3);
    await started;
    expect(sent.map((message) => message.type)).toEqual(['pty.snapshot', 'pty.output']);
    expect(sent[0]).toMatchObject({ replyTo: 7, offset: 3 });
    expect(sent[1]).toMatchObject({ offset: 3, data: 'new' });
  });

  it('drops a client past its credit to resync, and resnapshots once it has acked everything', async () => {
    const { subscription, sent, resyncs, snapshot } = setup(10);
    const started = subscription.start();
    snapshot(0);
    await started;
    subscription.deliver(frame(0, '123456'));
    subscription.deliver(frame(6, '7890ab')); // 12 > 10 unacked
    subscription.deliver(frame(12, 'cd'));
    expect(resyncs).toEqual(['credit_exhausted']);
    expect(sent.map((message) => message.type)).toEqual(['pty.snapshot', 'pty.output', 'pty.resync']);
    expect(subscription.status).toBe('resync');
    subscription.ack(6);
    await flush();
    expect(subscription.status).toBe('snapshotting');
    snapshot(14);
    await flush();
    expect(subscription.status).toBe('live');
    expect(sent.at(-1)).toMatchObject({ type: 'pty.snapshot', offset: 14 });
    void subscription.close();
  });

  it('drops a client whose socket does not drain', async () => {
    const { subscription, resyncs, snapshot, setBuffered } = setup(1000);
    const started = subscription.start();
    snapshot(0);
    await started;
    setBuffered(500);
    subscription.deliver(frame(0, 'x'));
    expect(resyncs).toEqual(['socket_backlog']);
    void subscription.close();
  });
});
