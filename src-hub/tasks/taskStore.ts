// Durable task records: every delegation is a row, so a hub restart loses no task.
import { randomUUID } from 'node:crypto';
import {
  HubError,
  type TaskHistoryEntry,
  type TaskInfo,
  type TaskResult,
  type TaskStatus,
  type TaskUsage,
} from '../../src-protocol/index.js';
import type { HubDatabase } from '../store/database.js';

interface TaskRow {
  id: string;
  parent_id: string | null;
  from_session: string | null;
  from_name: string;
  to_session: string;
  to_name: string;
  title: string;
  instructions: string;
  status: TaskStatus;
  result: string | null;
  created_at: string;
  updated_at: string;
  deadline_at: string;
  retry_of: string | null;
  retried_as: string | null;
  history: string;
  usage: string | null;
}

const toInfo = (row: TaskRow): TaskInfo => ({
  id: row.id,
  parentId: row.parent_id,
  fromSession: row.from_session,
  fromName: row.from_name,
  toSession: row.to_session,
  toName: row.to_name,
  title: row.title,
  instructions: row.instructions,
  status: row.status,
  result: row.result === null ? null : (JSON.parse(row.result) as TaskResult),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  deadlineAt: row.deadline_at,
  retryOf: row.retry_of,
  retriedAs: row.retried_as,
  history: JSON.parse(row.history) as TaskHistoryEntry[],
  usage: row.usage === null ? null : (JSON.parse(row.usage) as TaskUsage),
});

export type NewTask = Pick<
  TaskInfo,
  'parentId' | 'fromSession' | 'fromName' | 'toSession' | 'toName' | 'title' | 'instructions' | 'deadlineAt'
> & { retryOf?: string | null; history?: TaskHistoryEntry[] };

export class TaskStore {
  private readonly statements;

  constructor(private readonly database: HubDatabase) {
    this.statements = {
      insert: database.prepare(
        `INSERT INTO tasks (id, parent_id, from_session, from_name, to_session, to_name, title, instructions, status,
           result, created_at, updated_at, deadline_at, retry_of, history)
         VALUES (@id, @parent_id, @from_session, @from_name, @to_session, @to_name, @title, @instructions, @status,
           NULL, @created_at, @created_at, @deadline_at, @retry_of, @history)`,
      ),
      moved: database.prepare(
        'UPDATE tasks SET to_session = ?, to_name = ?, history = ?, updated_at = ? WHERE id = ?',
      ),
      retried: database.prepare('UPDATE tasks SET retried_as = ?, history = ?, updated_at = ? WHERE id = ?'),
      get: database.prepare('SELECT * FROM tasks WHERE id = ?'),
      usage: database.prepare('UPDATE tasks SET usage = ? WHERE id = ?'),
      byPrefix: database.prepare("SELECT * FROM tasks WHERE id LIKE ? || '%' LIMIT 2"),
      update: database.prepare('UPDATE tasks SET status = ?, result = ?, updated_at = ? WHERE id = ?'),
      involving: database.prepare(
        'SELECT * FROM tasks WHERE from_session = ? OR to_session = ? ORDER BY created_at',
      ),
      all: database.prepare('SELECT * FROM tasks ORDER BY created_at'),
      children: database.prepare('SELECT * FROM tasks WHERE parent_id = ?'),
      open: database.prepare(
        "SELECT * FROM tasks WHERE status IN ('queued', 'delivered', 'running') ORDER BY created_at",
      ),
    };
  }

  create(task: NewTask, id: string = randomUUID()): TaskInfo {
    this.statements.insert.run({
      id,
      parent_id: task.parentId,
      from_session: task.fromSession,
      from_name: task.fromName,
      to_session: task.toSession,
      to_name: task.toName,
      title: task.title,
      instructions: task.instructions,
      status: 'queued',
      created_at: new Date().toISOString(),
      deadline_at: task.deadlineAt,
      retry_of: task.retryOf ?? null,
      history: JSON.stringify(task.history ?? []),
    });
    return this.get(id);
  }

  /** Runs `body` in one SQLite transaction (the task and its queued input change together, or neither). */
  atomically<T>(body: () => T): T {
    return this.database.transaction(body)();
  }

  /** The task now goes to another session (issue 17); `step` joins its history. */
  moveTo(id: string, target: { id: string; name: string }, step: TaskHistoryEntry): TaskInfo {
    const task = this.get(id);
    const history = JSON.stringify([...(task.history ?? []), step]);
    this.statements.moved.run(target.id, target.name, history, new Date().toISOString(), id);
    return this.get(id);
  }

  /** Links a task to the copy it was re-sent as (issue 17); `step` joins its history. */
  retriedAs(id: string, copy: string, step: TaskHistoryEntry): TaskInfo {
    const task = this.get(id);
    const history = JSON.stringify([...(task.history ?? []), step]);
    this.statements.retried.run(copy, history, new Date().toISOString(), id);
    return this.get(id);
  }

  /** By id or a unique id prefix. */
  get(reference: string): TaskInfo {
    const exact = this.statements.get.get(reference) as TaskRow | undefined;
    if (exact) return toInfo(exact);
    const matches = reference.length >= 4 ? (this.statements.byPrefix.all(reference) as TaskRow[]) : [];
    if (matches.length === 1) return toInfo(matches[0]!);
    throw new HubError('unknown_task', `No task "${reference}"; \`switchboard tasks\` lists them.`);
  }

  update(id: string, status: TaskStatus, result: TaskResult | null = null): TaskInfo {
    this.statements.update.run(
      status,
      result === null ? null : JSON.stringify(result),
      new Date().toISOString(),
      id,
    );
    return this.get(id);
  }

  /** Its worker's token use on it (usage/taskUsage.ts); not a change of the task, so `updatedAt` stays. */
  setUsage(id: string, usage: TaskUsage): TaskInfo {
    this.statements.usage.run(JSON.stringify(usage), id);
    return this.get(id);
  }

  involving(sessionId: string): TaskInfo[] {
    return (this.statements.involving.all(sessionId, sessionId) as TaskRow[]).map(toInfo);
  }

  all(): TaskInfo[] {
    return (this.statements.all.all() as TaskRow[]).map(toInfo);
  }

  children(id: string): TaskInfo[] {
    return (this.statements.children.all(id) as TaskRow[]).map(toInfo);
  }

  open(): TaskInfo[] {
    return (this.statements.open.all() as TaskRow[]).map(toInfo);
  }
}
