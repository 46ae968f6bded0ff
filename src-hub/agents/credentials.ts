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

  revoke(sessionId: string): void {
    for (const [hash, id] of this.sessions) if (id === sessionId) this.sessions.delete(hash);
  }
}
