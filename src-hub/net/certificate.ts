// The LAN listener's certificate: a self-signed ECDSA P-256 key and certificate made on first use in the
// state directory (0600) and reused across restarts, or the user's own (--cert/--key). Clients pin its
// SHA-256 fingerprint, which travels in the invite link, so no certificate authority is involved.
import 'reflect-metadata'; // @peculiar/x509 resolves its ASN.1 classes through tsyringe, which needs it
import { createHash, createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import * as x509 from '@peculiar/x509';
import { HubError } from '../../src-protocol/index.js';
import { privateFile } from '../stateDir.js';

export interface TlsMaterial {
  cert: string;
  key: string;
  /** SHA-256 of the certificate's DER encoding, 64 lowercase hex digits: what invite links carry. */
  fingerprint: string;
}

export const CERTIFICATE_FILES = { cert: 'lan-cert.pem', key: 'lan-key.pem' } as const;
/** days: a generated certificate's life; an expired one is replaced at the next start (new fingerprint). */
const VALIDITY_DAYS = 825;

export const certificateFingerprint = (pem: string) =>
  createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');

/** Base64 SHA-256 of the public key (SPKI): what Chromium's --ignore-certificate-errors-spki-list pins. */
export const spkiHash = (pem: string) =>
  createHash('sha256')
    .update(new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' }))
    .digest('base64');

async function generate(): Promise<{ cert: string; key: string }> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const notBefore = new Date(Date.now() - 60_000); // a peer's clock a little behind still accepts it
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
      .toString('hex')
      .replace(/^[89a-f]/, '7'),
    name: 'CN=Switchboard hub',
    notBefore,
    notAfter: new Date(notBefore.getTime() + VALIDITY_DAYS * 86_400_000),
    signingAlgorithm: algorithm,
    keys: keys,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;
  return { cert: certificate.toString('pem'), key };
}

function checked(cert: string, key: string, where: string): TlsMaterial {
  try {
    createSecureContext({ cert, key }); // throws when the key does not belong to the certificate
    return { cert, key, fingerprint: certificateFingerprint(cert) };
  } catch (error) {
    throw new HubError(
      'invalid_message',
      `The LAN certificate and key (${where}) are not a usable pair: ${(error as Error).message}. ` +
        'Pass matching PEM files with --cert and --key, or remove them to have the hub make new ones.',
    );
  }
}

const expired = (cert: string) => Date.parse(new X509Certificate(cert).validTo) <= Date.now();

/** The user's certificate and key when given; else the state directory's, made on first use. */
export async function loadCertificate(
  stateDir: string,
  given: { certFile?: string | undefined; keyFile?: string | undefined } = {},
): Promise<TlsMaterial> {
  if (given.certFile || given.keyFile) {
    if (!given.certFile || !given.keyFile)
      throw new HubError('invalid_message', '--cert and --key go together: pass both PEM files.');
    const read = (file: string) => {
      try {
        return readFileSync(file, 'utf8');
      } catch (error) {
        throw new HubError('invalid_message', `Cannot read ${file}: ${(error as Error).message}.`);
      }
    };
    return checked(read(given.certFile), read(given.keyFile), `${given.certFile}, ${given.keyFile}`);
  }
  const certPath = join(stateDir, CERTIFICATE_FILES.cert);
  const keyPath = join(stateDir, CERTIFICATE_FILES.key);
  if (existsSync(certPath) && existsSync(keyPath)) {
    privateFile(keyPath);
    privateFile(certPath);
    const cert = readFileSync(certPath, 'utf8');
    if (!expired(cert)) return checked(cert, readFileSync(keyPath, 'utf8'), certPath);
  }
  const made = await generate();
  // The key first, private from its first byte; the certificate last, so a half-made pair is never reused.
  writeFileSync(keyPath, made.key, { mode: 0o600 });
  privateFile(keyPath);
  writeFileSync(certPath, made.cert, { mode: 0o600 });
  privateFile(certPath);
  return checked(made.cert, made.key, certPath);
}
