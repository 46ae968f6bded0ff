// The preload: a minimal typed bridge (checked with `satisfies`). Fixed channels only, no generic invoke;
// strings only, so nothing but protocol frames crosses.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_CHANNELS, type RemoteConnectResult, type SwitchboardBridge } from './bridge.js';

function listen<T>(
  channel: string,
  accept: (value: unknown) => value is T,
  listener: (value: T) => void,
): () => void {
  const wrapped = (_event: IpcRendererEvent, value: unknown) => {
    if (accept(value)) listener(value);
  };
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** A joined hub's channel: two strings (its id, then a frame or a reason), nothing else. */
function listenPair(channel: string, listener: (id: string, value: string) => void): () => void {
  const wrapped = (_event: IpcRendererEvent, id: unknown, value: unknown) => {
    if (isString(id) && isString(value)) listener(id, value);
  };
  ipcRenderer.on(channel, wrapped);
  return () => ipcRenderer.removeListener(channel, wrapped);
}
const always = (_value: unknown): _value is undefined => true;

contextBridge.exposeInMainWorld('switchboard', {
  desktop: true,
  platform: process.platform,
  ticket: async () => {
    const ticket: unknown = await ipcRenderer.invoke(BRIDGE_CHANNELS.ticket);
    if (typeof ticket !== 'string') throw new Error('The desktop app gave no ticket.');
    return ticket;
  },
  open: () => ipcRenderer.send(BRIDGE_CHANNELS.open),
  send: (frame) => {
    if (typeof frame === 'string') ipcRenderer.send(BRIDGE_CHANNELS.frame, frame);
  },
  onFrame: (listener) => listen(BRIDGE_CHANNELS.frame, isString, listener),
  onClosed: (listener) => listen(BRIDGE_CHANNELS.closed, isString, listener),
  onFocusSession: (listener) => listen(BRIDGE_CHANNELS.focusSession, isString, listener),
  onNewSession: (listener) => listen(BRIDGE_CHANNELS.newSession, always, () => listener()),
  onOpenInbox: (listener) => listen(BRIDGE_CHANNELS.openInbox, always, () => listener()),
  connectHub: async (link) => {
    if (typeof link !== 'string') throw new Error('An invite link is text.');
    return (await ipcRenderer.invoke(BRIDGE_CHANNELS.remoteConnect, link)) as RemoteConnectResult;
  },
  sendRemote: (id, frame) => {
    if (isString(id) && isString(frame)) ipcRenderer.send(BRIDGE_CHANNELS.remoteFrame, id, frame);
  },
  closeRemote: (id) => {
    if (isString(id)) ipcRenderer.send(BRIDGE_CHANNELS.remoteClose, id);
  },
  onRemoteFrame: (listener) => listenPair(BRIDGE_CHANNELS.remoteFrame, listener),
  onRemoteClosed: (listener) => listenPair(BRIDGE_CHANNELS.remoteClosed, listener),
} satisfies SwitchboardBridge);
