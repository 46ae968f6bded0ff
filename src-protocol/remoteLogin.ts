// Logs a fresh transport in with an invite token and hands it on already authenticated: the desktop app's
// main process (over pinned TLS) and the web UI's "Connect to a hub…" both join another hub this way.
import { ErrorCodeSchema, HubError } from './errors.js';
import type { HubMessageOf } from './messages.js';
import type { Disposable, Transport } from './transport.js';

const timers = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
};

export type Welcome = HubMessageOf<'auth.ok'>;

/** ms: an invite made with --approve waits up to 2 minutes for its owner; a little more than that. */
export const REMOTE_LOGIN_TIMEOUT_MS = 135_000;
/** The `auth` request's id; the client that takes the transport over numbers its own requests. */
const AUTH_ID = 1;

export interface LoggedIn {
  welcome: Welcome;
  /** The same connection; frames that arrived between `auth.ok` and the first listener are kept for it. */
  transport: Transport;
}

function readReply(frame: string): { type?: unknown; replyTo?: unknown; code?: unknown; message?: unknown } {
  try {
    const value: unknown = JSON.parse(frame);
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

/** Sends `auth` first and resolves with the hub's welcome, or rejects with its coded refusal. */
export function logInOver(
  transport: Transport,
  token: string,
  client: string,
  timeoutMs = REMOTE_LOGIN_TIMEOUT_MS,
): Promise<LoggedIn> {
  const kept: string[] = [];
  const listeners = new Set<(frame: string) => void>();
  let welcome: Welcome | undefined;
  return new Promise<LoggedIn>((resolve, reject) => {
    const fail = (error: HubError) => {
      timers.clearTimeout(timer);
      subscriptions.forEach((subscription) => subscription.dispose());
      transport.close();
      reject(error);
    };
    const timer = timers.setTimeout(
      () =>
        fail(new HubError('timeout', `The hub did not let this connection in within ${timeoutMs / 1000} s.`)),
      timeoutMs,
    );
    const onFrame = (frame: string) => {
      if (welcome) {
        if (listeners.size === 0) kept.push(frame);
        for (const listener of [...listeners]) listener(frame);
        return;
      }
      const reply = readReply(frame);
      if (reply.replyTo !== AUTH_ID) return;
      if (reply.type === 'auth.ok') {
        timers.clearTimeout(timer);
        welcome = reply as Welcome;
        return resolve({ welcome, transport: handOver() });
      }
      const code = ErrorCodeSchema.safeParse(reply.code).data ?? 'internal';
      fail(
        new HubError(code, typeof reply.message === 'string' ? reply.message : 'The hub refused the login.'),
      );
    };
    const subscriptions: Disposable[] = [
      transport.onMessage(onFrame),
      transport.onClose((reason) => {
        if (!welcome)
          fail(
            new HubError(
              'hub_unreachable',
              `The hub closed the connection before letting it in (${reason}).`,
            ),
          );
      }),
    ];
    const handOver = (): Transport => ({
      send: (frame) => transport.send(frame),
      onMessage: (listener) => {
        listeners.add(listener);
        for (const frame of kept.splice(0)) listener(frame);
        return { dispose: () => listeners.delete(listener) };
      },
      onClose: (listener) => transport.onClose(listener),
      close: () => transport.close(),
    });
    transport.send(JSON.stringify({ id: AUTH_ID, type: 'auth', token, client }));
  });
}
