// A hub joined in the desktop app, as a Transport in the window: main holds the pinned connection; its frames
// cross the preload bridge tagged with main's id for that hub.
import type { Transport } from '../../src-protocol/index.js';
import type { SwitchboardBridge } from '../../src-preload/bridge.js';

type RemoteBridge = Pick<
  SwitchboardBridge,
  'sendRemote' | 'closeRemote' | 'onRemoteFrame' | 'onRemoteClosed'
>;

/** A joined hub's frames over the preload bridge (main holds the pinned connection). */
export function bridgedTransport(desktop: RemoteBridge, id: string): Transport {
  const messages = new Set<(frame: string) => void>();
  const closes = new Set<(reason: string) => void>();
  let open = true;
  const stopFrames = desktop.onRemoteFrame((from, frame) => {
    if (from === id) for (const listener of [...messages]) listener(frame);
  });
  const stopClosed = desktop.onRemoteClosed((from, reason) => from === id && finish(reason));
  const finish = (reason: string) => {
    if (!open) return;
    open = false;
    stopFrames();
    stopClosed();
    for (const listener of [...closes]) listener(reason);
  };
  return {
    send: (frame) => open && desktop.sendRemote(id, frame),
    onMessage: (listener) => {
      messages.add(listener);
      return { dispose: () => messages.delete(listener) };
    },
    onClose: (listener) => {
      closes.add(listener);
      return { dispose: () => closes.delete(listener) };
    },
    close: () => {
      if (open) desktop.closeRemote(id);
      finish('left');
    },
  };
}
