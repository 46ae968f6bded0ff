// The LAN listener's front door: caps unfinished TLS handshakes per address and in all, reads the first byte
// of each connection, hands TLS handshakes to the HTTPS server, and answers anything else (plain HTTP to the
// TLS port) with a short plain-text refusal.
import { createServer, type Server, type Socket } from 'node:net';
import type { Server as HttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import { PendingCount } from './pendingCount.js';

/** A TLS record of type handshake starts with 0x16; an HTTP request starts with a letter. */
const TLS_HANDSHAKE = 0x16;
/** ms: a peer must send its first byte (and later finish its handshake) within this long. */
export const FIRST_BYTE_TIMEOUT_MS = 10_000;

const plainRefusal = (host: string) => {
  const body =
    `This port speaks HTTPS only. Use https://${host}/ (the link from \`switchboard invite\` has it), ` +
    'or `switchboard join LINK`.\n';
  return (
    'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
};

export interface FrontContext {
  logger: Logger;
  limits: Pick<Limits, 'pendingHandshakesPerAddress' | 'pendingHandshakesTotal'>;
}

/** A connection by its peer's address and port: unique among open connections, and the same for the
 * TLS socket the HTTPS server wraps around it. */
const peerKey = (socket: { remoteAddress?: string | undefined; remotePort?: number | undefined }) =>
  `${socket.remoteAddress ?? 'unknown'} ${socket.remotePort ?? 0}`;

export function tlsFront(https: HttpsServer, context: FrontContext, hostLabel: () => string): Server {
  const { logger } = context;
  const handshakes = new PendingCount();
  const unfinished = new Map<string, () => void>();
  https.on('secureConnection', (socket: TLSSocket) => unfinished.get(peerKey(socket))?.());
  return createServer({ pauseOnConnect: true }, (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    socket.on('error', () => socket.destroy());
    // A peer that opens handshakes and never finishes them holds a socket each: past its share it is cut
    // off at once, so other addresses (a colleague with an invite) still get in (issue 10).
    const { pendingHandshakesPerAddress: perAddress, pendingHandshakesTotal: total } = context.limits;
    if (handshakes.full(address, perAddress, total)) {
      logger.event('connection.limited', { address, pending: handshakes.total, reason: 'TLS handshakes' });
      return void socket.destroy();
    }
    const key = peerKey(socket);
    const release = handshakes.add(address);
    const settle = () => {
      release();
      if (unfinished.get(key) === settle) unfinished.delete(key);
    };
    unfinished.set(key, settle);
    socket.once('close', settle);
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (!first) return void socket.destroy();
      socket.unshift(first);
      if (first[0] === TLS_HANDSHAKE) {
        socket.setTimeout(0);
        https.emit('connection', socket);
        return;
      }
      logger.event('connection.refused', { address, reason: 'plain text on the TLS port' });
      socket.end(plainRefusal(hostLabel()));
    });
  });
}
