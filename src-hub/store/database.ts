// The hub's SQLite database (better-sqlite3, WAL) in the state directory: tasks, queued input, events,
// worktrees, owned sessions, credentials, and each session's last saved screen.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { privateFile } from '../stateDir.js';

/** Each entry migrates the schema from version i to i + 1; never edit one that has shipped. */
export const MIGRATIONS = [
  `CREATE TABLE tasks (
     id TEXT PRIMARY KEY,
     parent_id TEXT REFERENCES tasks(id),
     from_session TEXT,
     from_name TEXT NOT NULL,
     to_session TEXT NOT NULL,
     to_name TEXT NOT NULL,
     title TEXT NOT NULL,
     instructions TEXT NOT NULL,
     status TEXT NOT NULL,
     result TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     deadline_at TEXT NOT NULL
   );
   CREATE INDEX tasks_from ON tasks(from_session);
   CREATE INDEX tasks_to ON tasks(to_session);
   CREATE INDEX tasks_parent ON tasks(parent_id);
   CREATE TABLE pending_input (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     session TEXT NOT NULL,
     text TEXT NOT NULL,
     task TEXT,
     created_at TEXT NOT NULL
   );
   CREATE INDEX pending_input_session ON pending_input(session, id);
   CREATE TABLE events (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     kind TEXT NOT NULL,
     session TEXT,
     task TEXT,
     data TEXT NOT NULL
   );`,
  `CREATE TABLE worktrees (
     session TEXT PRIMARY KEY,
     repo TEXT NOT NULL,
     path TEXT NOT NULL,
     branch TEXT NOT NULL,
     base TEXT NOT NULL,
     created_at TEXT NOT NULL,
     removed_at TEXT
   );`,
  `CREATE TABLE owned_sessions (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     cwd TEXT NOT NULL,
     cols INTEGER NOT NULL,
     rows INTEGER NOT NULL,
     started_at TEXT NOT NULL
   );`,
  `CREATE TABLE credentials (
     digest TEXT NOT NULL,
     kind TEXT NOT NULL,
     data TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     PRIMARY KEY (digest, kind)
   );`,
  `CREATE TABLE session_screens (
     id TEXT PRIMARY KEY,
     info TEXT NOT NULL,
     screen TEXT NOT NULL,
     saved_at TEXT NOT NULL
   );`,
  // Issue 17: a re-sent task and its copy point at each other; routing steps are a JSON list.
  `ALTER TABLE tasks ADD COLUMN retry_of TEXT;
   ALTER TABLE tasks ADD COLUMN retried_as TEXT;
   ALTER TABLE tasks ADD COLUMN history TEXT NOT NULL DEFAULT '[]';`,
  // Issue 13: notices kept for windows opened later (one per finished task), and how far they were read.
  `CREATE TABLE notices (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at TEXT NOT NULL,
     kind TEXT NOT NULL,
     title TEXT NOT NULL,
     body TEXT NOT NULL,
     session TEXT,
     task TEXT,
     status TEXT
   );
   CREATE UNIQUE INDEX notices_task ON notices(task) WHERE kind = 'task';
   CREATE TABLE notice_marks (
     name TEXT PRIMARY KEY,
     value INTEGER NOT NULL
   );`,
  // Issue 13 #10: task.history reads a task's status changes (EventLog.taskStatuses); without this it scanned
  // the whole event table. The rowid rides in the index, so its ORDER BY id needs no sort either.
  `CREATE INDEX events_task ON events(task, kind);`,
  // Issue 13 #6: a task's own token use (its worker session's, while on the task), JSON; NULL before any.
  `ALTER TABLE tasks ADD COLUMN usage TEXT;`,
];

export type HubDatabase = Database.Database;

export function openDatabase(stateDir: string): HubDatabase {
  const path = join(stateDir, 'switchboard.db');
  // SQLite gives the WAL and SHM files the database file's mode: a private database keeps them private.
  // Ones left by an older hub (0644) are tightened too.
  privateFile(path);
  for (const sibling of [`${path}-wal`, `${path}-shm`]) if (existsSync(sibling)) privateFile(sibling);
  const database = new Database(path);
  database.pragma('journal_mode = WAL');
  // No fsync per commit (issue 12): with FULL each write stalled the hub's event loop about 0.3 ms here,
  // on a keystroke's echo when it fell there. In WAL mode NORMAL stays consistent and survives the hub's
  // own crash; only the last commits before a power loss or an OS crash can be lost.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const version = database.pragma('user_version', { simple: true }) as number;
  for (let index = version; index < MIGRATIONS.length; index++) {
    database.transaction(() => {
      database.exec(MIGRATIONS[index]!);
      database.pragma(`user_version = ${index + 1}`);
    })();
  }
  return database;
}
