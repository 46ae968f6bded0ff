import { describe, expect, it } from 'vitest';
import { parseInviteLink } from './inviteLink.js';

const TOKEN = 'sbi_' + 'a'.repeat(43);
const FP = 'AB'.repeat(32);

describe('parseInviteLink', () => {
  it('reads origin, token and fingerprint from a LAN link', () => {
    expect(parseInviteLink(` https://192.0.2.1:7318/ui/#invite=${TOKEN}&fp=${FP}\n`)).toEqual({
      origin: 'https://192.0.2.1:7318',
      token: TOKEN,
      fingerprint: FP.toLowerCase(),
    });
    expect(parseInviteLink(`https://[::1]:7318/ui/#fp=${FP}&invite=${TOKEN}`).origin).toBe(
      'https://[::1]:7318',
    );
    expect(parseInviteLink(`https://Host.lan:443/ui/#invite=${TOKEN}&fp=${FP}`).origin).toBe(
      'https://host.lan',
    );
  });

  it('takes a plain http link only to this machine', () => {
    expect(parseInviteLink(`http://127.0.0.1:7317/ui/#invite=${TOKEN}`)).toEqual({
      origin: 'http://127.0.0.1:7317',
      token: TOKEN,
      fingerprint: undefined,
    });
    expect(() => parseInviteLink(`http://192.0.2.1:7317/ui/#invite=${TOKEN}`)).toThrow(/must be https/);
  });

  it('refuses what is not a whole link, each with what to do', () => {
    for (const [link, says] of [
      ['', /Not an invite link/],
      ['ftp://x/#invite=' + TOKEN, /Not an invite link/],
      [`https://192.0.2.1:7318/ui/#fp=${FP}`, /no invite token/],
      [`https://192.0.2.1:7318/ui/#invite=short&fp=${FP}`, /no invite token/],
      [`https://192.0.2.1:7318/ui/#invite=${TOKEN}`, /no certificate fingerprint/],
      [`https://192.0.2.1:7318/ui/#invite=${TOKEN}&fp=abc`, /no certificate fingerprint/],
    ] as const)
      expect(() => parseInviteLink(link), link).toThrow(says);
  });
});
