// The LAN listener's front door: reads the first byte of each connection, hands TLS handshakes to the HTTPS
// server, and answers anything else (plain HTTP to the TLS port) with a short plain-text refusal.
import { createServer, type Server, type Socket } from 'node:net';
import type { Server as HttpsServer } from 'node:https';
import type { Logger } from '../logger.js';

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

export function tlsFront(https: HttpsServer, logger: Logger, hostLabel: () => string): Server {
  return createServer({ pauseOnConnect: true }, (socket: Socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    socket.on('error', () => socket.destroy());
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
