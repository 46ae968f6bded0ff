// The durable event log (audit trail of tasks and status changes), next to the JSON-lines hub.log.
import type { HubDatabase } from './database.js';

export class EventLog {
  private readonly insert;

  constructor(database: HubDatabase) {
    this.insert = database.prepare(
      'INSERT INTO events (at, kind, session, task, data) VALUES (?, ?, ?, ?, ?)',
    );
  }

  record(
    kind: string,
    fields: { session?: string | null; task?: string | null; [key: string]: unknown },
  ): void {
    const { session = null, task = null, ...data } = fields;
    this.insert.run(new Date().toISOString(), kind, session, task, JSON.stringify(data));
  }
}
