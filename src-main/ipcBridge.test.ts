// The IPC transport with fakes: frames relay both ways, and main refuses every message that does not come
// from the app's own window, main frame and origin.
import { describe, expect, it } from 'vitest';
import { linkedTransports, type Transport } from '../src-protocol/index.js';
import { BRIDGE_CHANNELS, type RemoteConnectResult } from '../src-preload/bridge.js';
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

const LINK = `https://192.0.2.1:7318/ui/#invite=sbi_${'t'.repeat(43)}&fp=${'a'.repeat(64)}`;

/** A fake hub at the link's address: answers `auth` as the test says, then records frames. */
function fakeRemote(answer: (id: number) => string) {
  const hubSides: Transport[] = [];
  const received: string[] = [];
  const dialed: string[] = [];
  const dial = async (link: { origin: string; fingerprint: string | undefined }) => {
    dialed.push(`${link.origin} ${link.fingerprint ?? ''}`);
    const [hubSide, clientSide] = linkedTransports();
    hubSide.onMessage((frame) => {
      const message = JSON.parse(frame) as { type: string; id: number };
      if (message.type === 'auth') hubSide.send(answer(message.id));
      else received.push(frame);
    });
    hubSides.push(hubSide);
    return clientSide;
  };
  return { dial, hubSides, received, dialed };
}

const welcome = (id: number) =>
  JSON.stringify({
    type: 'auth.ok',
    replyTo: id,
    clientId: 'c-9',
    role: 'observer',
    hubVersion: '1',
    hubName: 'alice-box',
  });

function setup(dial?: ReturnType<typeof fakeRemote>['dial']) {
  const ipc = new FakeIpcMain();
  const sent: unknown[][] = [];
  const window: RendererTarget = {
    id: 7,
    send: (channel, ...payload) => sent.push([channel, ...payload]),
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
    ...(dial ? { dial } : {}),
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

describe('IpcBridge: hubs joined with an invite link', () => {
  it("joins through main, relays that hub's frames tagged with its id, and leaves it", async () => {
    const remote = fakeRemote(welcome);
    const { ipc, sent } = setup(remote.dial);
    const result = (await ipc.handlers.get(BRIDGE_CHANNELS.remoteConnect)!(
      fromApp,
      LINK,
    )) as RemoteConnectResult;
    expect(remote.dialed).toEqual([`https://192.0.2.1:7318 ${'a'.repeat(64)}`]);
    expect(result).toMatchObject({
      ok: true,
      hub: { id: 'r1', origin: 'https://192.0.2.1:7318', name: 'alice-box', welcome: { role: 'observer' } },
    });
    ipc.emit(BRIDGE_CHANNELS.remoteFrame, fromApp, 'r1', '{"type":"session.list","id":2}');
    await tick();
    expect(remote.received).toEqual(['{"type":"session.list","id":2}']);
    remote.hubSides[0]!.send('{"type":"session.list.result","replyTo":2,"sessions":[]}');
    await tick();
    expect(sent).toContainEqual([
      BRIDGE_CHANNELS.remoteFrame,
      'r1',
      '{"type":"session.list.result","replyTo":2,"sessions":[]}',
    ]);
    // The hub sends this client away: the window hears it, with the reason.
    remote.hubSides[0]!.close();
    expect(sent).toContainEqual([BRIDGE_CHANNELS.remoteClosed, 'r1', 'peer closed']);
  });

  it("says why a join failed, with the hub's code, and keeps nothing", async () => {
    const refusal = (id: number) =>
      JSON.stringify({ type: 'error', replyTo: id, code: 'unauthorized', message: 'Invalid token.' });
    const remote = fakeRemote(refusal);
    const { ipc, bridge } = setup(remote.dial);
    const connect = ipc.handlers.get(BRIDGE_CHANNELS.remoteConnect)!;
    expect(await connect(fromApp, LINK)).toMatchObject({
      ok: false,
      code: 'unauthorized',
      message: /expired, been revoked/,
    });
    expect(await connect(fromApp, 'https://192.0.2.1/ui/#invite=x')).toMatchObject({
      ok: false,
      code: 'invalid_message',
    });
    expect(await connect(fromApp, 42)).toMatchObject({ ok: false, code: 'invalid_message' });
    expect(remote.dialed).toHaveLength(1);
    expect(bridge.remotes.size).toBe(0);
  });

  it('refuses a join, a frame or a leave from anything but the app window', async () => {
    const remote = fakeRemote(welcome);
    const { ipc, refused } = setup(remote.dial);
    const stranger: IpcEventLike = {
      sender: { id: 7 },
      senderFrame: { url: 'https://evil.example/', parent: null },
    };
    await expect(async () =>
      ipc.handlers.get(BRIDGE_CHANNELS.remoteConnect)!(stranger, LINK),
    ).rejects.toThrow(/Refused/);
    expect(remote.dialed).toEqual([]);
    await ipc.handlers.get(BRIDGE_CHANNELS.remoteConnect)!(fromApp, LINK);
    ipc.emit(BRIDGE_CHANNELS.remoteFrame, stranger, 'r1', '{"type":"pty.input","id":3}');
    ipc.emit(BRIDGE_CHANNELS.remoteClose, stranger, 'r1');
    await tick();
    expect(remote.received).toEqual([]);
    expect(refused).toEqual([
      BRIDGE_CHANNELS.remoteConnect,
      BRIDGE_CHANNELS.remoteFrame,
      BRIDGE_CHANNELS.remoteClose,
    ]);
  });

  it('a reload or dispose leaves every joined hub; the window asked, so no close is relayed', async () => {
    const remote = fakeRemote(welcome);
    const { ipc, bridge, sent } = setup(remote.dial);
    let closes = 0;
    await ipc.handlers.get(BRIDGE_CHANNELS.remoteConnect)!(fromApp, LINK);
    await ipc.handlers.get(BRIDGE_CHANNELS.remoteConnect)!(fromApp, LINK);
    remote.hubSides.forEach((side) => side.onClose(() => closes++));
    ipc.emit(BRIDGE_CHANNELS.remoteClose, fromApp, 'r1');
    expect(closes).toBe(1);
    ipc.emit(BRIDGE_CHANNELS.open, fromApp);
    expect(closes).toBe(2);
    expect(bridge.remotes.size).toBe(0);
    expect(sent.filter(([channel]) => channel === BRIDGE_CHANNELS.remoteClosed)).toEqual([]);
    bridge.dispose();
    expect(ipc.handlers.size).toBe(0);
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
