// The IPC transport with fakes: frames relay both ways, and main refuses every message that does not come
// from the app's own window, main frame and origin.
import { describe, expect, it } from 'vitest';
import { linkedTransports, type Transport } from '../src-protocol/index.js';
import { BRIDGE_CHANNELS } from '../src-preload/bridge.js';
import {
  IpcBridge,
  isTrustedSender,
  type IpcEventLike,
  type IpcMainLike,
  type RendererTarget,
} from './ipcBridge.js';

const APP = 'app://switchboard';

class FakeIpcMain implements IpcMainLike {
  listeners = new Map<string, (event: IpcEventLike, ...args: unknown[]) => void>();
  handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void) {
    this.listeners.set(channel, listener);
  }
  handle(channel: string, handler: (event: IpcEventLike, ...args: unknown[]) => unknown) {
    this.handlers.set(channel, handler);
  }
  removeAllListeners(channel: string) {
    this.listeners.delete(channel);
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  }
  emit(channel: string, event: IpcEventLike, ...args: unknown[]) {
    this.listeners.get(channel)?.(event, ...args);
  }
}

function setup() {
  const ipc = new FakeIpcMain();
  const sent: Array<[string, unknown]> = [];
  const window: RendererTarget = {
    id: 7,
    send: (channel, payload) => sent.push([channel, payload]),
    isDestroyed: () => false,
  };
  const hubSides: Transport[] = [];
  const received: string[] = [];
  const refused: string[] = [];
  const hub = {
    openConnection: () => {
      const [hubSide, clientSide] = linkedTransports();
      hubSide.onMessage((frame) => received.push(frame));
      hubSides.push(hubSide);
      return clientSide;
    },
    issueOwnerTicket: () => 'sbt_ticket',
  };
  const bridge = new IpcBridge({
    ipc,
    hub,
    target: () => window,
    appOrigin: APP,
    onRefused: (channel) => refused.push(channel),
  });
  return { ipc, bridge, sent, hubSides, received, refused };
}

const fromApp: IpcEventLike = { sender: { id: 7 }, senderFrame: { url: `${APP}/index.html`, parent: null } };
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('IpcBridge', () => {
  it('relays frames from the window to the hub and back', async () => {
    const { ipc, sent, hubSides, received } = setup();
    ipc.emit(BRIDGE_CHANNELS.open, fromApp);
    ipc.emit(BRIDGE_CHANNELS.frame, fromApp, '{"type":"session.list","id":1}');
    await tick();
    expect(received).toEqual(['{"type":"session.list","id":1}']);
    hubSides[0]!.send('{"type":"ok","replyTo":1}');
    await tick();
    expect(sent).toContainEqual([BRIDGE_CHANNELS.frame, '{"type":"ok","replyTo":1}']);
    expect(await ipc.handlers.get(BRIDGE_CHANNELS.ticket)!(fromApp)).toBe('sbt_ticket');
  });

  it('refuses messages from another window, an iframe, or a page the window navigated to', async () => {
    const { ipc, received, refused } = setup();
    ipc.emit(BRIDGE_CHANNELS.open, fromApp);
    const strangers: IpcEventLike[] = [
      { sender: { id: 8 }, senderFrame: { url: `${APP}/index.html`, parent: null } },
      { sender: { id: 7 }, senderFrame: { url: `${APP}/index.html`, parent: {} } },
      { sender: { id: 7 }, senderFrame: { url: 'https://evil.example/', parent: null } },
      { sender: { id: 7 }, senderFrame: null },
    ];
    for (const event of strangers)
      ipc.emit(BRIDGE_CHANNELS.frame, event, '{"type":"session.kill","id":1,"session":"x"}');
    await tick();
    expect(received).toEqual([]);
    expect(refused).toHaveLength(4);
    expect(() => ipc.handlers.get(BRIDGE_CHANNELS.ticket)!(strangers[2]!)).toThrow(/Refused/);
  });

  it('a reload opens a fresh connection and closes the old one; the window hears when the hub closes it', async () => {
    const { ipc, sent, hubSides } = setup();
    ipc.emit(BRIDGE_CHANNELS.open, fromApp);
    ipc.emit(BRIDGE_CHANNELS.open, fromApp);
    expect(hubSides).toHaveLength(2);
    const stale: string[] = [];
    hubSides[0]!.onMessage((frame) => stale.push(frame));
    hubSides[0]!.send('{"type":"ok","replyTo":9}'); // the old connection is closed: nothing reaches the window
    await tick();
    expect(sent).toEqual([]);
    hubSides[1]!.close();
    expect(sent).toContainEqual([BRIDGE_CHANNELS.closed, 'peer closed']);
  });

  it('drops non-string frames and unregisters on dispose', () => {
    const { ipc, bridge, received } = setup();
    ipc.emit(BRIDGE_CHANNELS.open, fromApp);
    ipc.emit(BRIDGE_CHANNELS.frame, fromApp, { type: 'auth' });
    expect(received).toEqual([]);
    bridge.dispose();
    expect(ipc.listeners.size).toBe(0);
    expect(ipc.handlers.size).toBe(0);
    expect(bridge.connected).toBe(false);
  });
});

describe('isTrustedSender', () => {
  it('needs the window to exist', () => {
    expect(isTrustedSender(fromApp, undefined, APP)).toBe(false);
    expect(isTrustedSender(fromApp, { id: 7, send: () => undefined, isDestroyed: () => true }, APP)).toBe(
      false,
    );
  });
});
