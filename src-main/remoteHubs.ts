// "Connect to a hub…" in the desktop app: Electron main joins another hub with an invite link, over TLS
// pinned to the link's certificate fingerprint (never any other certificate), logs in with the invite
// token, and relays the connection's frames to the window, one connection per hub. No Electron here.
import {
  HubError,
  logInOver,
  parseInviteLink,
  webSocketTransport,
  type InviteLink,
  type Transport,
  type Welcome,
  type WebSocketLike,
} from '../src-protocol/index.js';
import { openHubSocket } from '../src-cli/connect.js';

/** What the window learns about a hub it joined. */
export interface RemoteHubInfo {
  /** This app's id for the connection (`r1`, `r2`, …), in every frame relayed for it. */
  id: string;
  /** `https://ADDR:PORT`, from the link. */
  origin: string;
  /** The hub machine's name, else its address: the sidebar's group heading. */
  name: string;
  welcome: Welcome;
}

/** Opens a connection to the hub the link names, not logged in yet. */
export type Dial = (link: InviteLink) => Promise<Transport>;

/** The real dial: a WebSocket over TLS whose certificate must be the link's fingerprint (src-cli/pinnedTls). */
export const dialPinned: Dial = async (link) => {
  const socket = await openHubSocket(link.origin, link.fingerprint ? { fingerprint: link.fingerprint } : {});
  return webSocketTransport(socket as unknown as WebSocketLike);
};

export interface RemoteHubsDeps {
  dial?: Dial;
  onFrame: (id: string, frame: string) => void;
  onClosed: (id: string, reason: string) => void;
  /** ms: how long a login may wait (an invite made with --approve waits for its owner). */
  loginTimeoutMs?: number;
}

const hostOf = (origin: string) => origin.replace(/^https?:\/\//, '');

export class RemoteHubs {
  private readonly connections = new Map<string, Transport>();
  private nextId = 1;

  constructor(private readonly deps: RemoteHubsDeps) {}

  get size(): number {
    return this.connections.size;
  }

  /** Joins the hub the link names; rejects with a coded error that says what to do. */
  async connect(linkText: string): Promise<RemoteHubInfo> {
    const link = parseInviteLink(linkText);
    const raw = await (this.deps.dial ?? dialPinned)(link);
    let loggedIn;
    try {
      loggedIn = await logInOver(raw, link.token, 'desktop', this.deps.loginTimeoutMs);
    } catch (error) {
      if (error instanceof HubError && error.code === 'unauthorized')
        throw new HubError(
          'unauthorized',
          'The hub refused this invite: it has expired, been revoked, or was copied wrong. Ask its owner for a new link.',
        );
      throw error;
    }
    const id = `r${this.nextId++}`;
    const { transport, welcome } = loggedIn;
    this.connections.set(id, transport);
    transport.onMessage((frame) => this.deps.onFrame(id, frame));
    transport.onClose((reason) => {
      if (this.connections.get(id) !== transport) return;
      this.connections.delete(id);
      this.deps.onClosed(id, reason);
    });
    return { id, origin: link.origin, name: welcome.hubName ?? hostOf(link.origin), welcome };
  }

  send(id: string, frame: string): void {
    this.connections.get(id)?.send(frame);
  }

  /** Leaves that hub; the window asked, so it is not told again. */
  close(id: string): void {
    const transport = this.connections.get(id);
    this.connections.delete(id);
    transport?.close();
  }

  closeAll(): void {
    for (const id of [...this.connections.keys()]) this.close(id);
  }
}
