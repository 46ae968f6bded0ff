// Who a token says a connection is: the owner (token from hub.json) or an invitee (hashed, expiring).
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PrincipalRole } from '../../src-protocol/index.js';

export interface Principal {
  role: PrincipalRole;
  /** An invite may be limited to one session (its id). */
  session?: string;
  /** Which credential: 'owner' or the invite's short id, for the audit log. */
  credential: string;
}

interface Invite {
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
  private readonly invites = new Map<string, Invite>();

  constructor(
    private readonly now: () => number,
    ownerToken = newToken('sbo'),
  ) {
    this.ownerToken = ownerToken;
    this.ownerDigest = digest(ownerToken);
  }

  authenticate(token: string): Principal | undefined {
    const hashed = digest(token);
    if (timingSafeEqual(hashed, this.ownerDigest)) return { role: 'owner', credential: 'owner' };
    const invite = this.invites.get(hashed.toString('hex'));
    if (!invite) return undefined;
    if (invite.expiresAt <= this.now()) {
      this.invites.delete(hashed.toString('hex'));
      return undefined;
    }
    return {
      role: invite.role,
      credential: `invite:${invite.shortId}`,
      ...(invite.session ? { session: invite.session } : {}),
    };
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
