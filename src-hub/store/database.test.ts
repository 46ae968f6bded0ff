// Schema migrations on a database an older hub left (issue 13 #10: the index that serves task.history).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, openDatabase, type HubDatabase } from './database.js';
import { EventLog, TASK_CHANGES_SQL } from './eventLog.js';

let dir: string;
const opened: HubDatabase[] = [];

afterEach(() => {
  for (const database of opened.splice(0)) if (database.open) database.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A database as the hub before the index left it: schema version 7, with a task's events in it. */
function olderDatabase(): void {
  dir = mkdtempSync(join(tmpdir(), 'sb-migrate-'));
  const old = new Database(join(dir, 'switchboard.db'));
  for (const [index, sql] of MIGRATIONS.slice(0, 7).entries()) {
    old.exec(sql);
    old.pragma(`user_version = ${index + 1}`);
  }
  const insert = old.prepare('INSERT INTO events (at, kind, session, task, data) VALUES (?, ?, ?, ?, ?)');
  insert.run('2026-01-01T00:00:00.000Z', 'task.changed', 's1', 't1', '{"status":"queued"}');
  insert.run('2026-01-01T00:00:01.000Z', 'session.input', 's1', null, '{"chars":1}');
  insert.run('2026-01-01T00:00:02.000Z', 'task.changed', 's1', 't2', '{"status":"queued"}');
  insert.run('2026-01-01T00:00:03.000Z', 'task.changed', 's1', 't1', '{"status":"working"}');
  insert.run('2026-01-01T00:00:04.000Z', 'task.changed', 's1', 't1', '{"status":"done"}');
  old.close();
}

const plan = (database: HubDatabase) =>
  (database.prepare(`EXPLAIN QUERY PLAN ${TASK_CHANGES_SQL}`).all('t1') as Array<{ detail: string }>).map(
    (row) => row.detail,
  );

describe('openDatabase settings', () => {
  it('commits without an fsync each (WAL with synchronous NORMAL): a write never stalls the hub on the disk', () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-settings-'));
    const database = openDatabase(dir);
    opened.push(database);
    expect(database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(database.pragma('synchronous', { simple: true })).toBe(1); // 1 = NORMAL (2 = FULL, the default)
  });
});

describe('openDatabase migrations', () => {
  it('brings a version-7 database to the latest schema, adding the index task.history reads through', () => {
    olderDatabase();
    const database = openDatabase(dir);
    opened.push(database);
    expect(database.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(8);
    const indexes = database
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")
      .all() as Array<{ name: string }>;
    expect(indexes.map((row) => row.name)).toContain('events_task');
    // The rows the older hub wrote are still read, in order, through the new index.
    expect(new EventLog(database).taskStatuses('t1').map((step) => step.status)).toEqual([
      'queued',
      'working',
      'done',
    ]);
  });

  it('answers the task.history query from the index, with no scan of the event table and no sort', () => {
    olderDatabase();
    const database = openDatabase(dir);
    opened.push(database);
    const details = plan(database);
    expect(details.some((detail) => /SEARCH events USING (COVERING )?INDEX events_task/.test(detail))).toBe(
      true,
    );
    expect(details.some((detail) => /^SCAN events/.test(detail))).toBe(false);
    expect(details.some((detail) => /TEMP B-TREE/.test(detail))).toBe(false);
  });

  it('scanned the event table before the migration (the test sees the difference the index makes)', () => {
    olderDatabase();
    const old = new Database(join(dir, 'switchboard.db'));
    opened.push(old);
    expect(plan(old).some((detail) => /^SCAN events/.test(detail))).toBe(true);
  });

  it('leaves an up-to-date database alone when opened again', () => {
    dir = mkdtempSync(join(tmpdir(), 'sb-migrate-'));
    openDatabase(dir).close();
    const again = openDatabase(dir);
    opened.push(again);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });
});
