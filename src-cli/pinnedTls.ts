// A TLS connection to a LAN hub whose certificate must be the one the invite link names: the SHA-256 of
// its DER encoding is compared before a single byte of HTTP (let alone the token) is sent.
import { isIP } from 'node:net';
import { connect, type TLSSocket } from 'node:tls';
import { HubError } from '../src-protocol/index.js';

/** ms: to connect and finish the TLS handshake. */
const CONNECT_TIMEOUT_MS = 10_000;

export const normalFingerprint = (value: string) => value.replace(/:/g, '').toLowerCase();

function unreachable(origin: string, error: NodeJS.ErrnoException): HubError {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED')
    return new HubError(
      'hub_unreachable',
      `No hub answers at ${origin} (connection refused): is it running, with --lan? Check the link with its owner.`,
    );
  if (/SSL|TLS|EPROTO|ECONNRESET/.test(code) || /wrong version|ssl|tls/i.test(error.message))
    return new HubError(
      'hub_unreachable',
      `${origin} does not speak TLS (${code || error.message}): that port is not a Switchboard LAN listener.`,
    );
  return new HubError('hub_unreachable', `Cannot reach the hub at ${origin} (${code || error.message}).`);
}

export function pinnedTlsSocket(url: URL, fingerprint: string): Promise<TLSSocket> {
  const expected = normalFingerprint(fingerprint);
  const origin = `${url.protocol}//${url.host}`;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = connect({
      host,
      port: Number(url.port || 443),
      // The hub's certificate is self-signed: trust comes from the pinned fingerprint, checked below.
      rejectUnauthorized: false,
      minVersion: 'TLSv1.2',
      ALPNProtocols: ['http/1.1'],
      ...(isIP(host) ? {} : { servername: host }),
    });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(
        new HubError('hub_unreachable', `No answer from ${origin} within ${CONNECT_TIMEOUT_MS / 1000} s.`),
      );
    }, CONNECT_TIMEOUT_MS);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', onError);
      const seen = normalFingerprint(socket.getPeerCertificate().fingerprint256 ?? '');
      if (seen === expected) return resolve(socket);
      socket.destroy();
      reject(
        new HubError(
          'fingerprint_mismatch',
          `The hub at ${origin} presented certificate ${seen}, but the invite link expects ${expected}. ` +
            'Nothing was sent. Someone may be intercepting the connection, or the hub has a new certificate: ' +
            'ask its owner for a new link.',
        ),
      );
    });
    const onError = (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(unreachable(origin, error));
    };
    socket.once('error', onError);
  });
}
