// Notices in SQLite (issue 13): the newest few hundred, one per finished task, and the owner's read mark.
import type { HubNotice, NoticeKind, TaskStatus } from '../../src-protocol/index.js';
import type { HubDatabase } from './database.js';

/** How many notices the hub keeps; older ones are dropped as new ones come (a window shows at most 200). */
export const KEPT_NOTICES = 500;

export type NewNotice = Omit<HubNotice, 'id'>;

interface NoticeRow {
  id: number;
  at: string;
  kind: NoticeKind;
  title: string;
  body: string;
  session: string | null;
  task: string | null;
  status: TaskStatus | null;
}

export class NoticeStore {
  private readonly insert;
  private readonly prune;
  private readonly newest;
  private readonly markRow;
  private readonly setMark;
  private readonly taskNotice;

  constructor(database: HubDatabase) {
    // OR IGNORE: a task has one notice, even when its end is seen again after a restart.
    this.insert = database.prepare(
      `INSERT OR IGNORE INTO notices (at, kind, title, body, session, task, status)
       VALUES (@at, @kind, @title, @body, @session, @task, @status)`,
    );
    this.prune = database.prepare('DELETE FROM notices WHERE id <= ?');
    this.newest = database.prepare('SELECT * FROM notices ORDER BY id DESC LIMIT ?');
    this.markRow = database.prepare("SELECT value FROM notice_marks WHERE name = 'read'");
    this.setMark = database.prepare(
      "INSERT INTO notice_marks (name, value) VALUES ('read', ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
    );
    this.taskNotice = database.prepare("SELECT id FROM notices WHERE kind = 'task' AND task = ?");
  }

  /** Stores a notice; undefined when its task already has one. */
  add(notice: NewNotice): HubNotice | undefined {
    const result = this.insert.run(notice);
    if (result.changes === 0) return undefined;
    const id = Number(result.lastInsertRowid);
    if (id > KEPT_NOTICES) this.prune.run(id - KEPT_NOTICES);
    return { id, ...notice };
  }

  hasTaskNotice(task: string): boolean {
    return this.taskNotice.get(task) !== undefined;
  }

  /** The newest `limit` notices, newest first. */
  recent(limit: number): HubNotice[] {
    return (this.newest.all(limit) as NoticeRow[]).map((row) => ({ ...row }));
  }

  get readUpTo(): number {
    return (this.markRow.get() as { value: number } | undefined)?.value ?? 0;
  }

  /** Moves the read mark forward (never back, never past the newest notice); returns the mark. */
  markRead(upTo: number): number {
    const newestId = (this.newest.get(1) as NoticeRow | undefined)?.id ?? 0;
    const mark = Math.max(this.readUpTo, Math.min(upTo, newestId));
    if (mark !== this.readUpTo) this.setMark.run(mark);
    return mark;
  }
}
