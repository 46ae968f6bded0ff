// Connects the renderer to the hub: over the desktop bridge (IPC) inside Electron, or over a WebSocket in
// a browser after a cookie login. Either way the first frame is `auth` with a single-use ticket.
import {
  HubClient,
  HubError,
  webSocketTransport,
  BINARY_OUTPUT_PROTOCOL,
  type Transport,
  type WebSocketLike,
} from '../../src-protocol/index.js';
import type { SwitchboardBridge } from '../../src-preload/bridge.js';

declare global {
  interface Window {
    switchboard?: SwitchboardBridge;
  }
}

export const bridge = (): SwitchboardBridge | undefined => window.switchboard;

/** A Transport over the preload bridge: the same frames a WebSocket would carry. */
export function ipcTransport(desktop: SwitchboardBridge): Transport {
  const messageListeners = new Set<(frame: string) => void>();
  const closeListeners = new Set<(reason: string) => void>();
  let open = true;
  const stopFrames = desktop.onFrame((frame) => {
    for (const listener of [...messageListeners]) listener(frame);
  });
  const stopClosed = desktop.onClosed((reason) => finish(reason));
  const finish = (reason: string) => {
    if (!open) return;
    open = false;
    stopFrames();
    stopClosed();
    for (const listener of [...closeListeners]) listener(reason);
  };
  desktop.open();
  return {
    send: (frame) => open && desktop.send(frame),
    onMessage: (listener) => {
      messageListeners.add(listener);
      return { dispose: () => messageListeners.delete(listener) };
    },
    onClose: (listener) => {
      closeListeners.add(listener);
      return { dispose: () => closeListeners.delete(listener) };
    },
    close: () => finish('client closed'),
  };
}

/** Thrown when the browser has no web session yet: the page shows how to log in. */
export class LoginRequired extends Error {
  constructor(
    message: string,
    /** The hub's code: `unauthorized` (not logged in), `revoked`, `not_allowed`. */
    readonly code = 'unauthorized',
  ) {
    super(message);
  }
}

async function postJson(path: string, body: unknown): Promise<Response> {
  return fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
}

async function errorBody(response: Response): Promise<{ message: string; code: string }> {
  try {
    const body = (await response.json()) as { message?: string; code?: string };
    return { message: body.message ?? `HTTP ${response.status}`, code: body.code ?? 'internal' };
  } catch {
    return { message: `HTTP ${response.status}`, code: 'internal' };
  }
}

const errorMessage = async (response: Response) => (await errorBody(response)).message;

/** Exchanges a login ticket (from the URL fragment) or an invite token for the web-session cookie. */
export async function logIn(secret: string): Promise<void> {
  const response = await postJson('/auth/login', { secret });
  if (!response.ok) throw new LoginRequired(await errorMessage(response));
}

export async function logOut(): Promise<void> {
  await postJson('/auth/logout', {});
}

/**
 * Reads and removes `#login=…` (the owner's one-time link) or `#invite=…&fp=…` (an invite link) from the
 * address bar, so the secret stays in no history entry. The page cannot check `fp` itself (a page never
 * sees the certificate): the browser's certificate warning is where the invitee compares it.
 */
export function takeLoginTicket(): string | undefined {
  const match = /[#&](?:login|invite)=([\w-]+)/.exec(window.location.hash);
  if (!match) return undefined;
  window.history.replaceState(null, '', window.location.pathname + window.location.search);
  return match[1];
}

function openWebSocket(): Promise<WebSocketLike> {
  const url = new URL('/ws', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // Output as binary frames (issue 12): HubClient decodes their UTF-8, with no JSON parse per frame.
  const socket = new WebSocket(url, [BINARY_OUTPUT_PROTOCOL]);
  socket.binaryType = 'arraybuffer';
  return new Promise((resolve, reject) => {
    socket.addEventListener('open', () => resolve(socket as unknown as WebSocketLike), { once: true });
    socket.addEventListener('error', () => reject(new Error('Cannot reach the hub.')), { once: true });
  });
}

/**
 * A connected, authenticated HubClient. `beforeAuth` subscribes to its messages first, so the `auth.ok`
 * reply reaches the stores like every other message.
 */
export async function connectToHub(beforeAuth: (client: HubClient) => void): Promise<HubClient> {
  const desktop = bridge();
  let ticket: string;
  let transport: Transport;
  if (desktop) {
    ticket = await desktop.ticket();
    transport = ipcTransport(desktop);
  } else {
    const response = await postJson('/auth/ticket', {});
    if (response.status === 401 || response.status === 403) {
      const { message, code } = await errorBody(response);
      throw new LoginRequired(message, code);
    }
    if (!response.ok) throw new HubError('internal', await errorMessage(response));
    ticket = ((await response.json()) as { ticket: string }).ticket;
    transport = webSocketTransport(await openWebSocket());
  }
  const client = new HubClient(transport, { requestTimeoutMs: 60_000 });
  beforeAuth(client);
  await client.auth(ticket, desktop ? 'desktop' : 'web');
  return client;
}
