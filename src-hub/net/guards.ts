// Request guards: exact Host and Origin allowlists (DNS rebinding, cross-site WebSocket hijacking) and a
// per-address limit on failed authentication.
import { isIP } from 'node:net';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export interface Allowlists {
  hosts: Set<string>;
  origins: Set<string>;
}

/** The names a request may use for this hub: loopback names, and the bound address when it is not one. */
export function buildAllowlists(
  bindHost: string,
  port: number,
  extra: { hosts?: string[]; origins?: string[] } = {},
  scheme: 'http' | 'https' = 'http',
): Allowlists {
  const bound = isIP(bindHost) === 6 ? `[${bindHost}]` : bindHost;
  const names = new Set([...LOOPBACK_NAMES, ...(['0.0.0.0', '[::]'].includes(bound) ? [] : [bound])]);
  const hosts = new Set([...names].map((name) => `${name}:${port}`));
  for (const host of extra.hosts ?? []) hosts.add(host.toLowerCase());
  const origins = new Set([...hosts].map((host) => `${scheme}://${host}`));
  for (const origin of extra.origins ?? []) origins.add(origin.toLowerCase());
  return { hosts, origins };
}

/** A header value quoted in a refusal: bounded and printable (a refusal never echoes a huge header). */
const quoted = (value: string) => JSON.stringify(value.slice(0, 100).replace(/[^\x20-\x7e]/g, '?'));

export type GuardResult = { ok: true } | { ok: false; status: number; code: string; message: string };

/**
 * Every HTTP request and WebSocket upgrade: Host must be exact; Origin, when present, too, unless
 * `anyOrigin` (WebSocket upgrades on the LAN listener: see server.ts).
 */
export function checkRequest(
  headers: { host?: string | undefined; origin?: string | undefined },
  allow: Allowlists,
  anyOrigin = false,
): GuardResult {
  const host = headers.host?.toLowerCase();
  if (!host || !allow.hosts.has(host)) {
    return {
      ok: false,
      status: 421,
      code: 'not_allowed',
      message: `Host ${quoted(host ?? '')} is not served here.`,
    };
  }
  const origin = headers.origin?.toLowerCase();
  // A missing Origin is a non-browser client; it still has to authenticate with a token.
  if (origin !== undefined && !anyOrigin && !allow.origins.has(origin)) {
    return {
      ok: false,
      status: 403,
      code: 'not_allowed',
      message: `Origin ${quoted(origin)} is not allowed.`,
    };
  }
  return { ok: true };
}

/**
 * Counts failures per address in a sliding minute. Only wrong credentials (and connections that never
 * present one in time, or send too much first) count; a right credential is always accepted, even from a
 * blocked address, so no one can lock the owner out by failing on purpose (issue 9). Blocking an address
 * answers its further wrong attempts with `rate_limited` and keeps the log quiet; guessing a token was
 * never the threat (256 random bits).
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  isBlocked(address: string): boolean {
    return this.recent(address).length >= this.perMinute;
  }

  record(address: string): void {
    const list = this.recent(address);
    list.push(this.now());
    this.failures.set(address, list);
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - 60_000;
    const list = (this.failures.get(address) ?? []).filter((time) => time > cutoff);
    if (list.length === 0) this.failures.delete(address);
    return list;
  }
}
