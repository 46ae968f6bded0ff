// The desktop renderer's transport: main relays protocol frames between the window and an in-process hub
// connection, and those of the other hubs the window joined (remoteHubs.ts). Every IPC message is checked
// against the window it must come from; anything else is refused.
import { HubError, type Transport } from '../src-protocol/index.js';
import { BRIDGE_CHANNELS, type RemoteConnectResult } from '../src-preload/bridge.js';
import { RemoteHubs, type Dial } from './remoteHubs.js';

/** What main needs of an IPC event (Electron's IpcMainEvent / IpcMainInvokeEvent). */
export interface IpcEventLike {
  sender: { id: number };
  senderFrame?: { url: string; parent?: unknown } | null;
}

export interface IpcMainLike {
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
  handle(channel: string, handler: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeAllListeners(channel: string): unknown;
  removeHandler(channel: string): void;
}

/** The window's webContents, as far as the bridge uses it. */
export interface RendererTarget {
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
}

export interface BridgeHub {
  openConnection(remoteAddress: string): Transport;
  issueOwnerTicket(): string;
}

/**
 * A message is trusted only from the app's own window (by webContents id), from its main frame (not an
 * iframe), showing the app's own origin (not a page it was navigated to).
 */
export function isTrustedSender(
  event: IpcEventLike,
  target: RendererTarget | undefined,
  appOrigin: string,
): boolean {
  if (!target || target.isDestroyed() || event.sender.id !== target.id) return false;
  const frame = event.senderFrame;
  if (!frame || (frame.parent !== undefined && frame.parent !== null)) return false;
  try {
    // Not URL.origin: for a custom scheme like app:// Node's URL reports the opaque origin "null".
    const url = new URL(frame.url);
    return `${url.protocol}//${url.host}` === appOrigin;
  } catch {
    return false;
  }
}

export interface IpcBridgeDeps {
  ipc: IpcMainLike;
  hub: BridgeHub;
  target: () => RendererTarget | undefined;
  appOrigin: string;
  /** Called for every refused message (logged by main). */
  onRefused?: (channel: string, event: IpcEventLike) => void;
  /** How main reaches another hub ("Connect to a hub…"); default: WSS pinned to the link's fingerprint. */
  dial?: Dial;
}

const LISTENED = [
  BRIDGE_CHANNELS.open,
  BRIDGE_CHANNELS.frame,
  BRIDGE_CHANNELS.remoteFrame,
  BRIDGE_CHANNELS.remoteClose,
];

export class IpcBridge {
  private transport: Transport | undefined;
  readonly remotes: RemoteHubs;

  constructor(private readonly deps: IpcBridgeDeps) {
    const { ipc } = deps;
    this.remotes = new RemoteHubs({
      ...(deps.dial ? { dial: deps.dial } : {}),
      onFrame: (id, frame) => this.toRenderer(BRIDGE_CHANNELS.remoteFrame, id, frame),
      onClosed: (id, reason) => this.toRenderer(BRIDGE_CHANNELS.remoteClosed, id, reason),
    });
    ipc.handle(BRIDGE_CHANNELS.remoteConnect, async (event, link): Promise<RemoteConnectResult> => {
      if (!this.trusted(BRIDGE_CHANNELS.remoteConnect, event))
        throw new Error('Refused: not the Switchboard window.');
      if (typeof link !== 'string' || link.length > 2048)
        return { ok: false, code: 'invalid_message', message: 'Paste the invite link (text, one line).' };
      try {
        return { ok: true, hub: await this.remotes.connect(link) };
      } catch (error) {
        if (error instanceof HubError) return { ok: false, code: error.code, message: error.message };
        throw error;
      }
    });
    ipc.on(BRIDGE_CHANNELS.remoteFrame, (event, id, frame) => {
      if (
        this.trusted(BRIDGE_CHANNELS.remoteFrame, event) &&
        typeof id === 'string' &&
        typeof frame === 'string'
      )
        this.remotes.send(id, frame);
    });
    ipc.on(BRIDGE_CHANNELS.remoteClose, (event, id) => {
      if (this.trusted(BRIDGE_CHANNELS.remoteClose, event) && typeof id === 'string') this.remotes.close(id);
    });
    ipc.handle(BRIDGE_CHANNELS.ticket, (event) => {
      if (!this.trusted(BRIDGE_CHANNELS.ticket, event))
        throw new Error('Refused: not the Switchboard window.');
      return deps.hub.issueOwnerTicket();
    });
    ipc.on(BRIDGE_CHANNELS.open, (event) => {
      if (this.trusted(BRIDGE_CHANNELS.open, event)) this.open();
    });
    ipc.on(BRIDGE_CHANNELS.frame, (event, frame) => {
      if (this.trusted(BRIDGE_CHANNELS.frame, event) && typeof frame === 'string')
        this.transport?.send(frame);
    });
  }

  get connected(): boolean {
    return this.transport !== undefined;
  }

  /** A fresh hub connection for the window (a reload asks again); the previous one is closed. */
  private open(): void {
    const previous = this.transport;
    this.transport = undefined; // so its close is not reported to the reloaded window
    previous?.close();
    this.remotes.closeAll(); // a reloaded window starts with no other hubs joined
    const transport = this.deps.hub.openConnection('desktop');
    this.transport = transport;
    transport.onMessage((frame) => this.toRenderer(BRIDGE_CHANNELS.frame, frame));
    transport.onClose((reason) => {
      if (this.transport !== transport) return;
      this.transport = undefined;
      this.toRenderer(BRIDGE_CHANNELS.closed, reason);
    });
  }

  private toRenderer(channel: string, ...payload: string[]): void {
    const target = this.deps.target();
    if (target && !target.isDestroyed()) target.send(channel, ...payload);
  }

  private trusted(channel: string, event: IpcEventLike): boolean {
    const ok = isTrustedSender(event, this.deps.target(), this.deps.appOrigin);
    if (!ok) this.deps.onRefused?.(channel, event);
    return ok;
  }

  dispose(): void {
    const transport = this.transport;
    this.transport = undefined;
    transport?.close();
    this.remotes.closeAll();
    for (const channel of LISTENED) this.deps.ipc.removeAllListeners(channel);
    this.deps.ipc.removeHandler(BRIDGE_CHANNELS.ticket);
    this.deps.ipc.removeHandler(BRIDGE_CHANNELS.remoteConnect);
  }
}
