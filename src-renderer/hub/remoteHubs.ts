// Hubs this window joined with an invite link ("Connect to a hub…", issue 10). In the desktop app, main
// connects (TLS pinned to the link's fingerprint) and logs in, and frames cross the preload bridge; in a
// browser, the page opens the hub's WSS itself (the browser's own certificate check applies) and logs in.
// Each joined hub has its own projection in the store and its own terminal controllers.
import {
  HubClient,
  HubError,
  logInOver,
  parseInviteLink,
  webSocketTransport,
  type AttachMode,
  type HubMessage,
  type Transport,
  type Welcome,
  type WebSocketLike,
} from '../../src-protocol/index.js';
import type { SwitchboardBridge } from '../../src-preload/bridge.js';
import { paneKey, paneRef } from '../state/hubs.js';
import { useApp } from '../state/store.js';
import type { TerminalController } from '../terminal/terminalController.js';
import { bridgedTransport } from './bridgedTransport.js';
import { bridge } from './connection.js';
import { PaneControllers, typeInto, type PaneHost } from './paneControllers.js';

type TerminalMessage = Extract<HubMessage, { type: `pty.${string}` }>;
const isTerminalMessage = (message: HubMessage): message is TerminalMessage =>
  message.type.startsWith('pty.');

interface Joined {
  id: string;
  origin: string;
  name: string;
  welcome: Welcome;
  transport: Transport;
}

let nextBrowserId = 1;

async function joinInBrowser(linkText: string): Promise<Joined> {
  const link = parseInviteLink(linkText);
  const url = `${link.origin.replace(/^http/, 'ws')}/ws`;
  const socket = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener(
      'error',
      () =>
        reject(
          new HubError(
            'hub_unreachable',
            `Cannot reach the hub at ${link.origin}. If it is running, this browser may not trust its certificate: ` +
              `open ${link.origin}/ once, check that its SHA-256 fingerprint is ${link.fingerprint ?? '(none)'}, ` +
              'accept it, and connect again. (The desktop app and `switchboard join` check it for you.)',
          ),
        ),
      { once: true },
    );
  });
  const { transport, welcome } = await logInOver(
    webSocketTransport(socket as unknown as WebSocketLike),
    link.token,
    'web',
  );
  const host = link.origin.replace(/^https?:\/\//, '');
  return {
    id: `r${nextBrowserId++}`,
    origin: link.origin,
    name: welcome.hubName ?? host,
    welcome,
    transport,
  };
}

async function joinInDesktop(desktop: SwitchboardBridge, link: string): Promise<Joined> {
  const result = await desktop.connectHub(link);
  if (!result.ok) throw new HubError(result.code, result.message);
  return { ...result.hub, transport: bridgedTransport(desktop, result.hub.id) };
}

/** One joined hub: its client, its panes, and what the sidebar says about it. */
class RemoteSession implements PaneHost {
  readonly hub: HubClient;
  private readonly panes: PaneControllers;
  private sentAway: Extract<HubMessage, { type: 'connection.closing' }> | undefined;
  private left = false;

  constructor(readonly joined: Joined) {
    const { id } = joined;
    this.hub = new HubClient(joined.transport, { requestTimeoutMs: 60_000 });
    this.panes = new PaneControllers(
      id,
      {
        attach: (session, mode) => this.hub.attach(session, mode),
        detach: (session) => this.hub.detach(session),
        type: (session, data) => typeInto(this.hub, session, data),
        resize: (session, cols, rows) => this.hub.resize(session, cols, rows),
        ack: (session, chars) => this.hub.ack(session, chars),
      },
      () => useApp.getState().remotes[id]?.hub ?? useApp.getState().hub,
      (session) => useApp.getState().dispatchRemote(id, { type: 'local.detached', session }),
    );
    this.hub.onMessage((message) => this.route(message));
    this.panes.hearRefusals(this.hub);
    this.hub.onClose((reason) => this.closed(reason));
  }

  async start(): Promise<void> {
    const { id, name, origin, welcome } = this.joined;
    const store = useApp.getState();
    store.setRemote(id, { name, origin, status: 'connecting' });
    store.dispatchRemote(id, welcome);
    store.dispatchRemote(id, await this.hub.expect('session.list.result', { type: 'session.list' }));
    store.setRemote(id, { status: 'open', detail: '' });
    // An invite for one session opens it at once, as in the invitee's own browser.
    if (welcome.session) useApp.getState().showPane(paneKey(id, welcome.session));
  }

  controller(session: string): TerminalController | undefined {
    return this.panes.get(session);
  }
  ensureController(session: string, mode: AttachMode): TerminalController {
    return this.panes.ensure(session, mode);
  }
  releaseController(session: string): void {
    this.panes.release(session);
  }
  async setMode(session: string, mode: AttachMode): Promise<void> {
    useApp.getState().setMode(paneKey(this.joined.id, session), mode);
    await this.panes.get(session)?.attach(mode);
  }

  private route(message: HubMessage): void {
    if (message.type === 'connection.closing') this.sentAway = message;
    if (isTerminalMessage(message)) {
      this.panes.get(message.session)?.handle(message);
      if (message.type !== 'pty.snapshot' && message.type !== 'pty.exit') return;
    }
    useApp.getState().dispatchRemote(this.joined.id, message);
    this.panes.heard(message);
  }

  /** Sent away (revoked, kicked), the hub stopped, or the network went: the group says which, and stays. */
  private closed(reason: string): void {
    if (this.left) return;
    const { id } = this.joined;
    useApp.getState().dispatchRemote(id, { type: 'local.disconnected' });
    const detail = this.sentAway
      ? this.sentAway.message
      : `The connection to this hub closed (${reason || 'no reason given'}). Connect again with a link.`;
    useApp.getState().setRemote(id, { status: 'gone', detail });
  }

  /** Leaves the hub: its panes close and its group goes. */
  leave(): void {
    this.left = true;
    this.panes.dispose();
    this.hub.close();
    this.joined.transport.close();
  }
}

const sessions = new Map<string, RemoteSession>();

export const remoteHubs = {
  /** Joins the hub an invite link names; rejects with a message that says what went wrong. */
  async connect(link: string): Promise<string> {
    const desktop = bridge();
    const joined = desktop ? await joinInDesktop(desktop, link) : await joinInBrowser(link);
    const remote = new RemoteSession(joined);
    sessions.set(joined.id, remote);
    try {
      await remote.start();
    } catch (error) {
      this.leave(joined.id);
      throw error;
    }
    return joined.id;
  },

  host(id: string): PaneHost | undefined {
    return sessions.get(id);
  },

  leave(id: string): void {
    sessions.get(id)?.leave();
    sessions.delete(id);
    const { ui, closePane, setRemote } = useApp.getState();
    for (const key of ui.layout.open) if (paneRef(key).hub === id) closePane(key);
    setRemote(id, null);
  },
};
