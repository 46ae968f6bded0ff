// Input waiting for a session to be ready: kept in the store so a hub restart loses none of it.
import type { HubDatabase } from './database.js';

export interface PendingInput {
  id: number;
  session: string;
  text: string;
  /** The task whose instructions this is, if any. */
  task: string | null;
}

export class PendingInputStore {
  private readonly insert;
  private readonly next;
  private readonly remove;
  private readonly count;
  private readonly forTask;
  private readonly ofTask;

  constructor(database: HubDatabase) {
    this.insert = database.prepare(
      'INSERT INTO pending_input (session, text, task, created_at) VALUES (?, ?, ?, ?)',
    );
    this.next = database.prepare(
      'SELECT id, session, text, task FROM pending_input WHERE session = ? ORDER BY id LIMIT 1',
    );
    this.remove = database.prepare('DELETE FROM pending_input WHERE id = ?');
    this.count = database.prepare('SELECT COUNT(*) AS n FROM pending_input WHERE session = ?');
    this.forTask = database.prepare('DELETE FROM pending_input WHERE task = ?');
    this.ofTask = database.prepare(
      'SELECT id, session, text, task FROM pending_input WHERE task = ? ORDER BY id',
    );
  }

  /**
   * Moves a task's instructions not yet typed to the end of another session's queue (a re-route, issue
   * 17); false when none wait (they were typed already). The caller runs it inside a transaction.
   */
  moveTask(task: string, session: string): boolean {
    const waiting = this.ofTask.all(task) as PendingInput[];
    for (const input of waiting) {
      this.remove.run(input.id);
      this.enqueue(session, input.text, task);
    }
    return waiting.length > 0;
  }

  /** Drops a task's instructions that were not typed yet (the task was cancelled). */
  dropForTask(task: string): number {
    return this.forTask.run(task).changes;
  }

  enqueue(session: string, text: string, task: string | null = null): void {
    this.insert.run(session, text, task, new Date().toISOString());
  }

  peek(session: string): PendingInput | undefined {
    return this.next.get(session) as PendingInput | undefined;
  }

  delivered(id: number): void {
    this.remove.run(id);
  }

  size(session: string): number {
    return (this.count.get(session) as { n: number }).n;
  }
}
