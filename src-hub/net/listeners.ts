// Which listener a connection came through, and which credentials each admits: the LAN listener (TLS)
// never the owner; the plain loopback listener no invitee from another machine (issue 10).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { HubError } from '../../src-protocol/index.js';
import type { Principal } from './auth.js';

/** `local`: the plain HTTP listener (loopback unless --host); `lan`: the TLS listener of `--lan`. */
export type ListenerKind = 'local' | 'lan';

/** Only the LAN listener speaks TLS, so an encrypted socket came through it. */
export const requestListener = (request: IncomingMessage): ListenerKind =>
  (request.socket as Partial<TLSSocket>).encrypted === true ? 'lan' : 'local';

/** The address a peer on the hub's Unix domain socket is known by (such sockets have none). */
export const UNIX_PEER = 'unix-socket';

/**
 * A peer on this machine: loopback (v4, v6, v4-mapped), the hub's Unix domain socket, or an in-process
 * connection (desktop, tests).
 */
export function isLocalAddress(address: string): boolean {
  const bare = address.replace(/^::ffff:/, '');
  return bare.startsWith('127.') || bare === '::1' || address === 'in-process' || address === UNIX_PEER;
}

/** Why `principal` may not use this listener from `address`, or undefined when it may. */
export function refusal(listener: ListenerKind, principal: Principal, address: string): HubError | undefined {
  if (listener === 'lan' && principal.role === 'owner')
    return new HubError(
      'not_allowed',
      "The LAN listener admits invites only, never the owner's credentials; the owner uses the hub on this machine.",
    );
  if (listener === 'local' && principal.role !== 'owner' && !isLocalAddress(address))
    return new HubError(
      'not_allowed',
      'Invites from another machine work only over the encrypted LAN listener: ask the owner to run ' +
        '`switchboard hub --lan` and send you the link from `switchboard invite`.',
    );
  return undefined;
}
