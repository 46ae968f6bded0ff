// Tasks: one session (or the owner) hands work to another and gets a structured result back.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { RequestIdSchema, SessionRefSchema, request } from './base.js';
import { WorktreeRequestSchema } from './session.js';
import { TaskUsageSchema } from './usage.js';

export const TaskStatusSchema = lazySchema(() =>
  z.enum([
    'queued', // recorded; the instructions wait for the target to be ready
    'delivered', // typed into the target's prompt
    'running', // the target started a turn on it
    'done',
    'failed',
    'blocked',
    'cancelled',
    'timed_out',
    'unreported', // the target stopped without report_result; its last message is the result
  ]),
);
export type TaskStatus = z.infer<typeof TaskStatusSchema>;

export const FINAL_TASK_STATUSES: readonly TaskStatus[] = [
  'done',
  'failed',
  'blocked',
  'cancelled',
  'timed_out',
  'unreported',
];

/** Whether a task has closed: it has its result, and nothing more happens to it. */
export const isFinalTaskStatus = (status: TaskStatus): boolean => FINAL_TASK_STATUSES.includes(status);

export const TaskResultSchema = lazySchema(() =>
  z.object({
    status: z.enum(['done', 'failed', 'blocked', 'cancelled', 'timed_out', 'unreported']),
    summary: z.string(),
    details: z.string().optional(),
    /** For a task that ran in a worktree: what it changed against the branch's base. */
    diff: z
      .object({
        branch: z.string(),
        files: z.number().int(),
        insertions: z.number().int(),
        deletions: z.number().int(),
      })
      .optional(),
  }),
);
export type TaskResult = z.infer<typeof TaskResultSchema>;

/** One routing step in a task's life (issue 17): moved to another session, or re-sent as a copy. */
export const TaskHistoryEntrySchema = lazySchema(() =>
  z.object({
    at: z.string(),
    /** rerouted: moved while queued; retried: re-sent as the copy `task`; retry: this is a copy of `task`. */
    kind: z.enum(['rerouted', 'retried', 'retry']),
    /** Who did it: "owner" or the delegating session's name. */
    by: z.string(),
    /** What it says, in a sentence: "re-routed from A to B by owner". */
    text: z.string(),
    /** rerouted: the session the task left, and the one it went to. */
    fromSession: z.string().optional(),
    toSession: z.string().optional(),
    /** retried / retry: the other task of the pair. */
    task: z.string().optional(),
  }),
);
export type TaskHistoryEntry = z.infer<typeof TaskHistoryEntrySchema>;

export const TaskInfoSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    parentId: z.string().nullable(),
    /** The delegating session; null when the owner delegated (CLI, desktop app, `switchboard mcp`). */
    fromSession: z.string().nullable(),
    fromName: z.string(),
    toSession: z.string(),
    toName: z.string(),
    title: z.string(),
    instructions: z.string(),
    status: TaskStatusSchema,
    result: TaskResultSchema.nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    deadlineAt: z.string(),
    // Optional on the wire: hubs before issue 17 send none (read them as null and []).
    /** The task this one is a copy of (`retry`). */
    retryOf: z.string().nullable().optional(),
    /** The copy this task was re-sent as (`retry`). */
    retriedAs: z.string().nullable().optional(),
    /** Its routing steps, oldest first. */
    history: z.array(TaskHistoryEntrySchema).optional(),
    /** Token use of its worker session on this task alone (issue 13 #6); null before any; none from older hubs. */
    usage: TaskUsageSchema.nullable().optional(),
  }),
);
export type TaskInfo = z.infer<typeof TaskInfoSchema>;

const TASK_OUTCOME: Partial<Record<TaskStatus, string>> = {
  done: 'done',
  failed: 'failed',
  blocked: 'blocked',
  cancelled: 'cancelled',
  timed_out: 'timed out',
  unreported: 'ended without a report',
};

/** What a finished task's notification says (the desktop app's OS notice and the app's list alike). */
export function taskNotice(task: TaskInfo): { title: string; body: string } {
  return {
    title: `Task ${TASK_OUTCOME[task.status] ?? task.status}: ${task.title}`,
    body: task.result?.summary ?? `${task.fromName} → ${task.toName}`,
  };
}

export const TaskDelegateSchema = lazySchema(() =>
  request('task.delegate', {
    instructions: z.string().min(1).max(100_000),
    title: z.string().min(1).max(200).optional(),
    to: SessionRefSchema.optional(),
    cwd: z.string().min(1).max(4096).optional(),
    waitSeconds: z.number().min(0).max(3600).optional(),
    worktree: WorktreeRequestSchema.optional(),
  }),
);
export const TaskListSchema = lazySchema(() => request('task.list', {}));
export const TaskGetSchema = lazySchema(() =>
  request('task.get', {
    task: z.string().min(1).max(100),
    waitSeconds: z.number().min(0).max(3600).optional(),
  }),
);
export const TaskCancelSchema = lazySchema(() =>
  request('task.cancel', { task: z.string().min(1).max(100) }),
);
/** Moves a task not yet delivered to another Claude session; it keeps its id and history. */
export const TaskRerouteSchema = lazySchema(() =>
  request('task.reroute', {
    task: z.string().min(1).max(100),
    to: SessionRefSchema,
  }),
);
/** Sends a copy of a task to a session (or a new one in `cwd`); the original is cancelled if open. */
export const TaskRetrySchema = lazySchema(() =>
  request('task.retry', {
    task: z.string().min(1).max(100),
    to: SessionRefSchema.optional(),
    cwd: z.string().min(1).max(4096).optional(),
    worktree: WorktreeRequestSchema.optional(),
    /** Needed for a task that is running: its work so far is cancelled. */
    force: z.boolean().optional(),
  }),
);

export const TaskReplySchema = lazySchema(() =>
  z.object({
    type: z.literal('task.result'),
    replyTo: RequestIdSchema,
    task: TaskInfoSchema,
  }),
);
export const TaskListResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('task.list.result'),
    replyTo: RequestIdSchema,
    tasks: z.array(TaskInfoSchema),
  }),
);
/** A retry's reply: the copy, and the original as it is now (linked, and cancelled if it was open). */
export const TaskRetryResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('task.retry.result'),
    replyTo: RequestIdSchema,
    task: TaskInfoSchema,
    original: TaskInfoSchema,
  }),
);
/** Pushed to owners whenever a task is created or changes. */
export const TaskEventSchema = lazySchema(() =>
  z.object({ type: z.literal('task.event'), task: TaskInfoSchema }),
);

export const WorktreeMergeSchema = lazySchema(() =>
  request('worktree.merge', {
    task: z.string().min(1).max(100),
    mode: z.enum(['merge', 'rebase', 'discard']),
    force: z.boolean().optional(),
  }),
);
export const WorktreeMergeResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('worktree.merge.result'),
    replyTo: RequestIdSchema,
    outcome: z.enum(['merged', 'rebased', 'discarded', 'conflict']),
    branch: z.string(),
    conflicts: z.array(z.string()),
    message: z.string(),
  }),
);
