// Per-session bearer tokens: carried in a Claude session's MCP config and hook headers, they say which
// session is calling. Kept hashed; revoked when the session ends.
import { createHash } from 'node:crypto';
import { newToken } from '../net/auth.js';

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionCredentials {
  private readonly sessions = new Map<string, string>();

  issue(sessionId: string): string {
    const token = newToken('sbs');
    this.sessions.set(digest(token), sessionId);
    return token;
  }

  /** The session a token belongs to (a map lookup by hash: no timing signal about the token). */
  resolve(token: string): string | undefined {
    return this.sessions.get(digest(token));
  }

  /** The stored form of a token: a worker container keeps it in a label, to be recognised after a restart. */
  static hash(token: string): string {
    return digest(token);
  }

  /** Accepts a session's token again by its hash (a worker re-adopted after a hub restart). */
  adopt(sessionId: string, hash: string): void {
    this.sessions.set(hash, sessionId);
  }

  revoke(sessionId: string): void {
    for (const [hash, id] of this.sessions) if (id === sessionId) this.sessions.delete(hash);
  }
}
