// The desktop window's side of a joined hub, on a fake preload bridge: only its own hub's frames, sends
// tagged with its id, and a close either way said once.
import { describe, expect, it } from 'vitest';
import { bridgedTransport } from './bridgedTransport.js';

function fakeBridge() {
  const frameListeners = new Set<(id: string, frame: string) => void>();
  const closeListeners = new Set<(id: string, reason: string) => void>();
  const sent: Array<[string, string]> = [];
  const closed: string[] = [];
  return {
    sent,
    closed,
    listeners: () => frameListeners.size + closeListeners.size,
    frame: (id: string, frame: string) => [...frameListeners].forEach((listener) => listener(id, frame)),
    close: (id: string, reason: string) => [...closeListeners].forEach((listener) => listener(id, reason)),
    bridge: {
      sendRemote: (id: string, frame: string) => void sent.push([id, frame]),
      closeRemote: (id: string) => void closed.push(id),
      onRemoteFrame: (listener: (id: string, frame: string) => void) => {
        frameListeners.add(listener);
        return () => frameListeners.delete(listener);
      },
      onRemoteClosed: (listener: (id: string, reason: string) => void) => {
        closeListeners.add(listener);
        return () => closeListeners.delete(listener);
      },
    },
  };
}

describe('bridgedTransport', () => {
  it("hears only its own hub's frames and tags what it sends", () => {
    const fake = fakeBridge();
    const transport = bridgedTransport(fake.bridge, 'r2');
    const heard: string[] = [];
    transport.onMessage((frame) => heard.push(frame));
    fake.frame('r1', 'for another hub');
    fake.frame('r2', 'mine');
    transport.send('{"type":"session.list","id":1}');
    expect(heard).toEqual(['mine']);
    expect(fake.sent).toEqual([['r2', '{"type":"session.list","id":1}']]);
  });

  it('a close from main is told once and stops everything; leaving asks main to close', () => {
    const fake = fakeBridge();
    const transport = bridgedTransport(fake.bridge, 'r1');
    const reasons: string[] = [];
    transport.onClose((reason) => reasons.push(reason));
    fake.close('r3', 'not mine');
    fake.close('r1', '4001 revoked');
    fake.close('r1', 'again');
    transport.send('late');
    transport.close();
    expect(reasons).toEqual(['4001 revoked']);
    expect(fake.sent).toEqual([]);
    expect(fake.closed).toEqual([]); // main closed it already
    expect(fake.listeners()).toBe(0);

    const left = bridgedTransport(fake.bridge, 'r4');
    const leftReasons: string[] = [];
    left.onClose((reason) => leftReasons.push(reason));
    left.close();
    expect(fake.closed).toEqual(['r4']);
    expect(leftReasons).toEqual(['left']);
  });
});
