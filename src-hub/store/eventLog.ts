// The durable event log (audit trail of tasks and status changes), next to the JSON-lines hub.log.
import type { HubDatabase } from './database.js';

/** The task.history query; the events_task index (schema version 8) serves it. */
export const TASK_CHANGES_SQL =
  "SELECT at, data FROM events WHERE task = ? AND kind = 'task.changed' ORDER BY id";

type Row = [at: string, kind: string, session: string | null, task: string | null, data: string];

export class EventLog {
  private readonly insert;
  private readonly recentForSession;
  private readonly taskChanges;
  private readonly insertMany;
  /**
   * Events recorded with `defer`, made into rows and written together a few ms later: a keystroke's path
   * pays for a push, not for the timestamp's text and the JSON (issue 12).
   */
  private pending: Pending[] = [];
  private afterFlush: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly database: HubDatabase) {
    this.insert = database.prepare(
      'INSERT INTO events (at, kind, session, task, data) VALUES (?, ?, ?, ?, ?)',
    );
    this.recentForSession = database.prepare(
      'SELECT at, kind, data FROM events WHERE session = ? ORDER BY id DESC LIMIT ?',
    );
    this.taskChanges = database.prepare(TASK_CHANGES_SQL);
    this.insertMany = database.transaction((rows: Row[]) => {
      for (const row of rows) this.insert.run(...row);
    });
  }

  /** A session's most recent events, oldest first. */
  recent(session: string, limit: number): Array<{ at: string; kind: string; data: Record<string, unknown> }> {
    this.flush();
    const rows = this.recentForSession.all(session, limit) as Array<{
      at: string;
      kind: string;
      data: string;
    }>;
    return rows.reverse().map((row) => ({ ...row, data: JSON.parse(row.data) as Record<string, unknown> }));
  }

  /** A task's recorded changes, oldest first: its statuses (a change that kept the status is left out). */
  taskStatuses(task: string): Array<{ at: string; status: string }> {
    this.flush();
    const steps: Array<{ at: string; status: string }> = [];
    for (const row of this.taskChanges.all(task) as Array<{ at: string; data: string }>) {
      const { status } = JSON.parse(row.data) as { status?: unknown };
      if (typeof status === 'string' && steps.at(-1)?.status !== status) steps.push({ at: row.at, status });
    }
    return steps;
  }

  record(
    kind: string,
    fields: { session?: string | null; task?: string | null; [key: string]: unknown },
  ): void {
    // A socket's close can be heard after the hub closed its database (shutdown): nothing is left to record.
    if (!this.database.open) return;
    this.flush(); // deferred rows first: the table keeps the order things happened in
    this.insert.run(...row(kind, fields));
  }

  /**
   * Records like `record`, but writes `delayMs` later in one transaction with whatever else came
   * meanwhile (issue 12: the audit of each keystroke cost 0.13 ms before its echo could be read).
   * `then` runs at the write (the log line of the same event). Reads and `record` write pending rows first;
   * `flush` is called before the database closes.
   */
  defer(
    kind: string,
    fields: { session?: string | null; [key: string]: unknown },
    delayMs: number,
    then?: () => void,
  ) {
    if (!this.database.open) return;
    this.pending.push({ at: Date.now(), kind, fields });
    if (then) this.afterFlush.push(then);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), delayMs);
      this.timer.unref();
    }
  }

  /** Writes the deferred rows now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const rows = this.pending.splice(0).map(({ at, kind, fields }) => row(kind, fields, at));
    const after = this.afterFlush.splice(0);
    if (rows.length > 0 && this.database.open) this.insertMany(rows);
    for (const then of after) then();
  }
}

type Fields = { session?: string | null; task?: string | null; [key: string]: unknown };
type Pending = { at: number; kind: string; fields: Fields };

function row(kind: string, fields: Fields, at = Date.now()): Row {
  const { session = null, task = null, ...data } = fields;
  return [new Date(at).toISOString(), kind, session, task, JSON.stringify(data)];
}
