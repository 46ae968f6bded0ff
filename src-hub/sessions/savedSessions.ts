// Each session's info and screen, kept in the database: saved when it starts, at most every few seconds
// while its screen or status changes, and when it ends. After a restart, even after a crash (SIGKILL),
// the sessions that are not running again are listed as ended with that screen, until removed (issue 9).
import type { SessionInfo } from '../../src-protocol/index.js';
import type { HubDatabase } from '../store/database.js';
import type { Session } from './session.js';

export interface SavedSession {
  info: SessionInfo;
  /** The mirror, serialized (screen and some scrollback). */
  screen: string;
  savedAt: string;
}

export interface SavedSessionsOptions {
  sessions: () => Session[];
  /** ms between looks for sessions whose screen or status changed. */
  intervalMs: number;
  scrollbackRows: number;
}

interface Row {
  info: string;
  screen: string;
  saved_at: string;
}

export class SavedSessions {
  private readonly marks = new Map<string, string>();
  private readonly timer: NodeJS.Timeout;
  private readonly statements;

  constructor(
    database: HubDatabase,
    private readonly options: SavedSessionsOptions,
  ) {
    this.statements = {
      upsert: database.prepare(
        'INSERT OR REPLACE INTO session_screens (id, info, screen, saved_at) VALUES (?, ?, ?, ?)',
      ),
      remove: database.prepare('DELETE FROM session_screens WHERE id = ?'),
      all: database.prepare('SELECT info, screen, saved_at FROM session_screens'),
      screen: database.prepare('SELECT screen FROM session_screens WHERE id = ?'),
    };
    this.timer = setInterval(() => this.saveChanged(), options.intervalMs);
    this.timer.unref();
  }

  /** Saves the session when its output, status or size changed since its last save (or it has none). */
  saveIfChanged(session: Session): void {
    if (session.restored) return;
    const info = session.info();
    // What a save captures: a session whose mark is unchanged needs no new save.
    const mark = `${session.offset}|${info.status}|${info.cols}x${info.rows}`;
    if (this.marks.get(session.id) === mark) return;
    this.marks.set(session.id, mark);
    const screen = session.mirror.serialize(this.options.scrollbackRows);
    this.statements.upsert.run(session.id, JSON.stringify(info), screen, new Date().toISOString());
  }

  /** The screen last saved for a session (a worker taken back after a restart starts from it). */
  screenOf(id: string): string | undefined {
    return (this.statements.screen.get(id) as { screen: string } | undefined)?.screen;
  }

  forget(id: string): void {
    this.marks.delete(id);
    this.statements.remove.run(id);
  }

  /** Every saved session, oldest first. */
  list(): SavedSession[] {
    return (this.statements.all.all() as Row[])
      .map((row) => ({
        info: JSON.parse(row.info) as SessionInfo,
        screen: row.screen,
        savedAt: row.saved_at,
      }))
      .sort((a, b) => a.info.createdAt.localeCompare(b.info.createdAt));
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  /** Saves every session whose screen or status changed since its last save (also when the hub stops). */
  saveChanged(): void {
    for (const session of this.options.sessions()) this.saveIfChanged(session);
  }
}
