// Browser login for the web UI: a single-use login ticket (from `switchboard open`) or an invite token is
// exchanged once for a web session kept in an HttpOnly SameSite=Strict cookie; the page then trades that
// cookie for single-use connection tickets, one per WebSocket. No long-lived secret ever sits in a URL.
import { createHash } from 'node:crypto';
import { newToken, type Authenticator, type CredentialMap, type Principal } from './auth.js';

export const WEB_LOGIN_TIMES = {
  /** A login URL is opened by hand right after `switchboard open` prints it: a minute is plenty. */
  loginTicketMs: 60_000,
  /** A browser stays logged in for a working day, across hub restarts (kept as a digest in the database). */
  webSessionMs: 12 * 3600_000,
  /** Between the page fetching a connection ticket and sending it as its `auth` frame: one round trip. */
  connectTicketMs: 30_000,
} as const;

export interface WebSessionEntry {
  principal: Principal;
  expiresAt: number;
}

const key = (secret: string) => createHash('sha256').update(secret).digest('hex');

export class WebLogin {
  private readonly loginTickets = new Map<string, WebSessionEntry>();
  /** Digests of web sessions ended by a revoke, until they would have expired: only for the message. */
  private readonly revoked = new Map<string, number>();
  constructor(
    private readonly auth: Authenticator,
    private readonly now: () => number,
    private readonly sessions: CredentialMap<WebSessionEntry> = new Map(),
  ) {}

  /** Owner only (checked by the caller): a ticket that logs one browser in once, within a minute. */
  createLoginTicket(principal: Principal): { ticket: string; expiresAt: string } {
    this.sweep(this.loginTickets);
    const ticket = newToken('sbl');
    const expiresAt = this.now() + WEB_LOGIN_TIMES.loginTicketMs;
    this.loginTickets.set(key(ticket), { principal, expiresAt });
    return { ticket, expiresAt: new Date(expiresAt).toISOString() };
  }

  /**
   * Exchanges a login ticket (consumed) or an invite token for a web session. The owner token itself is
   * refused: it belongs in hub.json, not in a browser.
   */
  login(
    secret: string,
    admits: (principal: Principal) => boolean = () => true,
  ): { cookie: string; principal: Principal; expiresAt: number } | 'refused' | undefined {
    let principal: Principal | undefined;
    const ticket = this.loginTickets.get(key(secret));
    if (ticket) {
      // A ticket this listener does not admit (the owner's, on the LAN) stays unused for where it belongs.
      if (ticket.expiresAt > this.now() && !admits(ticket.principal)) return 'refused';
      this.loginTickets.delete(key(secret));
      if (ticket.expiresAt > this.now()) principal = ticket.principal;
    } else if (secret.startsWith('sbi_')) {
      principal = this.auth.authenticate(secret);
      if (principal && !admits(principal)) return 'refused';
    }
    if (!principal) return undefined;
    this.sweep(this.sessions);
    const cookie = newToken('sbw');
    const expiresAt = Math.min(this.now() + WEB_LOGIN_TIMES.webSessionMs, principal.expiresAt ?? Infinity);
    this.sessions.set(key(cookie), { principal, expiresAt });
    return { cookie, principal, expiresAt };
  }

  /** The principal behind a web-session cookie, while it is valid. */
  session(cookie: string): Principal | undefined {
    const entry = this.sessions.get(key(cookie));
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.sessions.delete(key(cookie));
      return undefined;
    }
    return entry.principal;
  }

  /** A single-use connection ticket for the WebSocket's `auth` frame. */
  connectTicket(cookie: string): { ticket: string; principal: Principal } | undefined {
    const principal = this.session(cookie);
    if (!principal) return undefined;
    return { ticket: this.auth.issueTicket(principal, WEB_LOGIN_TIMES.connectTicketMs), principal };
  }

  logout(cookie: string): void {
    this.sessions.delete(key(cookie));
  }

  /** Ends every web session made with one credential (a revoked invite); says so to their cookies. */
  revokeCredential(credential: string): void {
    for (const [name, entry] of this.sessions) {
      if (entry.principal.credential !== credential) continue;
      this.sessions.delete(name);
      this.revoked.set(name, entry.expiresAt);
    }
  }

  /** Whether this cookie's web session ended because its invite was revoked (for a clear message). */
  wasRevoked(cookie: string): boolean {
    const cutoff = this.now();
    for (const [name, expiresAt] of this.revoked) if (expiresAt <= cutoff) this.revoked.delete(name);
    return this.revoked.has(key(cookie));
  }

  private sweep(map: CredentialMap<WebSessionEntry>): void {
    const cutoff = this.now();
    for (const [name, entry] of map) if (entry.expiresAt <= cutoff) map.delete(name);
  }
}
