// Issue 10: the LAN certificate is made once (ECDSA P-256, private files) and reused; a user's own pair is
// taken as given, and a pair that does not match is refused with what to do.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { certificateFingerprint, loadCertificate } from './certificate.js';
import { defaultLanAddress } from './lan.js';

const directories: string[] = [];
const scratch = () => {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-cert-'));
  directories.push(directory);
  return directory;
};
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

describe('the LAN certificate', () => {
  it('is a self-signed P-256 certificate made once, in private files, and reused', async () => {
    const stateDir = scratch();
    const first = await loadCertificate(stateDir);
    const certificate = new X509Certificate(first.cert);
    expect(certificate.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(certificate.checkIssued(certificate)).toBe(true);
    expect(first.fingerprint).toBe(certificateFingerprint(first.cert));
    expect(first.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    for (const file of ['lan-cert.pem', 'lan-key.pem'])
      expect(statSync(join(stateDir, file)).mode & 0o777).toBe(0o600);
    expect((await loadCertificate(stateDir)).fingerprint).toBe(first.fingerprint);
  });

  it("takes the user's own pair, and refuses a key that does not match", async () => {
    const mine = await loadCertificate(scratch());
    const other = await loadCertificate(scratch());
    const files = scratch();
    writeFileSync(join(files, 'cert.pem'), mine.cert);
    writeFileSync(join(files, 'key.pem'), mine.key);
    writeFileSync(join(files, 'other-key.pem'), other.key);
    const given = await loadCertificate(scratch(), {
      certFile: join(files, 'cert.pem'),
      keyFile: join(files, 'key.pem'),
    });
    expect(given.fingerprint).toBe(mine.fingerprint);
    await expect(
      loadCertificate(scratch(), {
        certFile: join(files, 'cert.pem'),
        keyFile: join(files, 'other-key.pem'),
      }),
    ).rejects.toThrow(/not a usable pair/);
    await expect(loadCertificate(scratch(), { certFile: join(files, 'cert.pem') })).rejects.toThrow(
      /--cert and --key go together/,
    );
    expect(readFileSync(join(files, 'cert.pem'), 'utf8')).toBe(mine.cert); // never rewritten
  });
});

describe('the LAN address', () => {
  it("defaults to this machine's first non-loopback IPv4 address, and says so when there is none", () => {
    const entry = (address: string, family: 'IPv4' | 'IPv6', internal: boolean) => ({
      address,
      family,
      internal,
      netmask: '',
      mac: '',
      cidr: null,
    });
    expect(
      defaultLanAddress({
        lo: [entry('127.0.0.1', 'IPv4', true)],
        eth0: [entry('fe80::1', 'IPv6', false), entry('192.0.2.5', 'IPv4', false)],
      } as never),
    ).toBe('192.0.2.5');
    expect(() => defaultLanAddress({ lo: [entry('127.0.0.1', 'IPv4', true)] } as never)).toThrow(/--bind/);
  });
});
