// The durable event log (audit trail of tasks and status changes), next to the JSON-lines hub.log.
import type { HubDatabase } from './database.js';

export class EventLog {
  private readonly insert;
  private readonly recentForSession;

  constructor(private readonly database: HubDatabase) {
    this.insert = database.prepare(
      'INSERT INTO events (at, kind, session, task, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.recentForSession = database.prepare(
      'SELECT at, kind, data FROM events WHERE session = ? ORDER BY id DESC LIMIT ?',
    );
  }

  /** A session's most recent events, oldest first. */
  recent(session: string, limit: number): Array<{ at: string; kind: string; data: Record<string, unknown> }> {
    const rows = this.recentForSession.all(session, limit) as Array<{
      at: string;
      kind: string;
      data: string;
    }>;
    return rows.reverse().map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> }));
  }

  record(
    kind: string,
    fields: { session?: string | null; task?: string | null; [key: string]: unknown },
  ): void {
    // A socket's close can be heard after the hub closed its database (shutdown): nothing is left to record.
    if (!this.database.open) return;
    const { session = null, task = null, ...data } = fields;
    this.insert.run(new Date().toISOString(), kind, session, task, JSON.stringify(data));
  }
}
