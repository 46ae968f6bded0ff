// Who a token says a connection is: the owner (token from hub.json) or an invitee (hashed, expiring).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrincipalRole } from '../../src-protocol/index.js';

export interface Principal {
  role: PrincipalRole;
  /** An invite may be limited to one session (its id). */
  session?: string;
  /** Which credential: 'owner' or the invite's short id, for the audit log. */
  credential: string;
  /** When the credential stops working (invites); a web login never outlives it. */
  expiresAt?: number;
}

/** Where credentials are kept: a Map, or one that outlives the hub (store/durableMap.ts). */
export interface CredentialMap<V> extends Iterable<[string, V]> {
  get(digest: string): V | undefined;
  set(digest: string, value: V): unknown;
  delete(digest: string): boolean;
}

export interface Invite {
  role: 'driver' | 'observer';
  session?: string;
  expiresAt: number;
  shortId: string;
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/** 256 random bits, URL-safe: at least the 128 that ARCHITECTURE.md §4 asks of any secret. */
export const newToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;

export class Authenticator {
  readonly ownerToken: string;
  private readonly ownerDigest: Buffer;
  /** Invites by the hex SHA-256 of their token: the token itself is shown once and never stored. */
  private readonly invites: CredentialMap<Invite>;
  /** Single-use connection tickets by the hex SHA-256 of their token. */
  private readonly tickets = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    ownerToken = newToken('sbo'),
    invites: CredentialMap<Invite> = new Map(),
  ) {
    this.invites = invites;
    this.ownerToken = ownerToken;
    this.ownerDigest = digest(ownerToken);
  }

  authenticate(token: string): Principal | undefined {
    const hashed = digest(token);
    if (timingSafeEqual(hashed, this.ownerDigest)) return { role: 'owner', credential: 'owner' };
    const ticket = this.tickets.get(hashed.toString('hex'));
    if (ticket) {
      this.tickets.delete(hashed.toString('hex')); // single use
      return ticket.expiresAt > this.now() ? ticket.principal : undefined;
    }
    const invite = this.invites.get(hashed.toString('hex'));
    if (!invite) return undefined;
    if (invite.expiresAt <= this.now()) {
      this.invites.delete(hashed.toString('hex'));
      return undefined;
    }
    return {
      role: invite.role,
      credential: `invite:${invite.shortId}`,
      expiresAt: invite.expiresAt,
      ...(invite.session ? { session: invite.session } : {}),
    };
  }

  /**
   * A single-use connection ticket standing for `principal`: what a browser (after its cookie login) or the
   * desktop renderer (over IPC) sends as its `auth` token, so no long-lived secret reaches a page.
   */
  issueTicket(principal: Principal, ttlMs: number): string {
    const cutoff = this.now();
    for (const [key, ticket] of this.tickets) if (ticket.expiresAt <= cutoff) this.tickets.delete(key);
    const token = newToken('sbt');
    this.tickets.set(digest(token).toString('hex'), { principal, expiresAt: this.now() + ttlMs });
    return token;
  }

  createInvite(role: 'driver' | 'observer', ttlSeconds: number, session?: string) {
    const token = newToken('sbi');
    const hashed = digest(token).toString('hex');
    const expiresAt = this.now() + ttlSeconds * 1000;
    this.invites.set(hashed, {
      role,
      expiresAt,
      shortId: hashed.slice(0, 8),
      ...(session ? { session } : {}),
    });
    return { token, expiresAt: new Date(expiresAt).toISOString(), shortId: hashed.slice(0, 8) };
  }
}
