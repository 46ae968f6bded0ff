// Which credentials each listener admits (issue 10): the LAN listener never the owner; the plain one no
// invitee from another machine.
import { describe, expect, it } from 'vitest';
import { isLocalAddress, refusal } from './listeners.js';

const owner = { role: 'owner' as const, credential: 'owner' };
const guest = { role: 'observer' as const, credential: 'invite:ab12cd34' };

describe('listener admission', () => {
  it('knows this machine from another', () => {
    for (const address of ['127.0.0.1', '127.8.9.1', '::1', '::ffff:127.0.0.1', 'in-process'])
      expect(isLocalAddress(address), address).toBe(true);
    for (const address of ['192.0.2.2', '::ffff:192.0.2.2', '10.0.0.1', 'fe80::1', '1270.0.0.1'])
      expect(isLocalAddress(address), address).toBe(false);
  });

  it('the LAN listener refuses the owner and admits invitees from anywhere', () => {
    expect(refusal('lan', owner, '192.0.2.2')?.message).toContain('never the owner');
    expect(refusal('lan', owner, '127.0.0.1')?.code).toBe('not_allowed');
    expect(refusal('lan', guest, '192.0.2.2')).toBeUndefined();
  });

  it('the plain listener refuses an invitee from another machine, saying to use the LAN link', () => {
    const refused = refusal('local', guest, '192.0.2.2');
    expect(refused?.code).toBe('not_allowed');
    expect(refused?.message).toContain('switchboard hub --lan');
    expect(refusal('local', guest, '127.0.0.1')).toBeUndefined();
    expect(refusal('local', owner, '127.0.0.1')).toBeUndefined();
  });
});
