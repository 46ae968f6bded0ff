// Host and Origin allowlists are exact; failed authentication is counted per address per minute.
import { describe, expect, it } from 'vitest';
import { buildAllowlists, checkRequest, FailureLimiter } from './guards.js';

describe('request guards', () => {
  const loopback = buildAllowlists('127.0.0.1', 7317);

  it('accepts loopback names on the right port, with or without a matching Origin', () => {
    expect(checkRequest({ host: '127.0.0.1:7317' }, loopback).ok).toBe(true);
    expect(checkRequest({ host: 'localhost:7317', origin: 'http://localhost:7317' }, loopback).ok).toBe(true);
    expect(checkRequest({ host: '[::1]:7317', origin: 'http://127.0.0.1:7317' }, loopback).ok).toBe(true);
  });

  it.each([
    [{ host: 'evil.example:7317' }, 421],
    [{ host: '127.0.0.1:8080' }, 421],
    [{ host: '127.0.0.1' }, 421],
    [{}, 421],
    [{ host: '127.0.0.1:7317', origin: 'http://evil.example' }, 403],
    [{ host: '127.0.0.1:7317', origin: 'http://127.0.0.1:7317.evil.example' }, 403],
    [{ host: '127.0.0.1:7317', origin: 'null' }, 403],
  ])('refuses %o with %i', (headers, status) => {
    expect(checkRequest(headers, loopback)).toMatchObject({ ok: false, status });
  });

  it('adds the bound LAN address and explicit extras, never a wildcard', () => {
    const lan = buildAllowlists('192.0.2.10', 7317, { origins: ['http://switchboard.lan:7317'] });
    expect(checkRequest({ host: '192.0.2.10:7317', origin: 'http://switchboard.lan:7317' }, lan).ok).toBe(
      true,
    );
    const wildcard = buildAllowlists('0.0.0.0', 7317);
    expect(checkRequest({ host: '0.0.0.0:7317' }, wildcard).ok).toBe(false);
  });
});

describe('FailureLimiter', () => {
  it('blocks an address after N failures within a minute, and forgets them after', () => {
    let now = 0;
    const limiter = new FailureLimiter(3, () => now);
    for (let index = 0; index < 3; index++) limiter.record('10.0.0.1');
    expect(limiter.isBlocked('10.0.0.1')).toBe(true);
    expect(limiter.isBlocked('10.0.0.2')).toBe(false);
    now += 60_001;
    expect(limiter.isBlocked('10.0.0.1')).toBe(false);
  });
});
