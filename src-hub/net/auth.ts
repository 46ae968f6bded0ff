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
  /** Who it is, shown to others: the invite's name, or `owner`. */
  name?: string;
  /** Each connection waits for the owner's approval before it is admitted (invites made with --approve). */
  approve?: boolean;
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
  /** Older invites (before names) have none: they show as `role-id`. */
  name?: string;
  approve?: boolean;
  /** Successful authentications with it (connections and browser logins). */
  uses?: number;
}

export interface InviteOptions {
  name?: string;
  approve?: boolean;
}

export const inviteName = (invite: Invite) => invite.name ?? `${invite.role}-${invite.shortId.slice(0, 4)}`;

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
    if (timingSafeEqual(hashed, this.ownerDigest))
      return { role: 'owner', credential: 'owner', name: 'owner' };
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
      name: inviteName(invite),
      ...(invite.approve ? { approve: true } : {}),
      ...(invite.session ? { session: invite.session } : {}),
    };
  }

  /** Counts a join with an invite (once it is admitted: a refused attempt changes nothing). */
  recordUse(principal: Principal): void {
    const shortId = /^invite:(\w+)$/.exec(principal.credential)?.[1];
    if (!shortId) return;
    for (const [key, invite] of this.invites)
      if (invite.shortId === shortId) this.invites.set(key, { ...invite, uses: (invite.uses ?? 0) + 1 });
  }

  /** Live invites (expired ones are dropped on the way). */
  listInvites(): Invite[] {
    const cutoff = this.now();
    const live: Invite[] = [];
    for (const [key, invite] of this.invites) {
      if (invite.expiresAt <= cutoff) this.invites.delete(key);
      else live.push(invite);
    }
    return live;
  }

  /**
   * Deletes an invite by its short id, and every connection ticket made from it; returns it, or undefined
   * when no live invite has that id. Web sessions made from it are the web login's to drop.
   */
  revokeInvite(shortId: string): Invite | undefined {
    for (const [key, invite] of this.invites) {
      if (invite.shortId !== shortId) continue;
      this.invites.delete(key);
      for (const [ticketKey, ticket] of this.tickets)
        if (ticket.principal.credential === `invite:${shortId}`) this.tickets.delete(ticketKey);
      return invite;
    }
    return undefined;
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

  createInvite(
    role: 'driver' | 'observer',
    ttlSeconds: number,
    session?: string,
    options: InviteOptions = {},
  ) {
    const token = newToken('sbi');
    const hashed = digest(token).toString('hex');
    const expiresAt = this.now() + ttlSeconds * 1000;
    const invite: Invite = {
      role,
      expiresAt,
      shortId: hashed.slice(0, 8),
      uses: 0,
      ...(options.name ? { name: options.name } : {}),
      ...(options.approve ? { approve: true } : {}),
      ...(session ? { session } : {}),
    };
    this.invites.set(hashed, invite);
    return { token, invite, expiresAt: new Date(expiresAt).toISOString(), shortId: invite.shortId };
  }
}
