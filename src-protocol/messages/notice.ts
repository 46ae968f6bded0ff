// Notices (issue 13): what the owner is told about (a task ended, a session waits, a session ended), kept
// by the hub so a new window sees recent ones, with a read mark so those that came while no window was
// open show as unread.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { RequestIdSchema, request } from './base.js';
import { TaskStatusSchema } from './task.js';

export const NoticeKindSchema = lazySchema(() => z.enum(['task', 'permission', 'ended']));
export type NoticeKind = z.infer<typeof NoticeKindSchema>;

export const NoticeSchema = lazySchema(() =>
  z.object({
    /** Increasing with time; the read mark compares against it. */
    id: z.number().int().positive(),
    kind: NoticeKindSchema,
    title: z.string(),
    body: z.string(),
    session: z.string().nullable(),
    task: z.string().nullable(),
    /** A task notice: how the task ended. */
    status: TaskStatusSchema.nullable(),
    /** ISO 8601, the hub's clock. */
    at: z.string(),
  }),
);
export type HubNotice = z.infer<typeof NoticeSchema>;

/** The newest notices (at most `limit`, default 50), newest first, and the read mark. Owner only. */
export const NoticeListSchema = lazySchema(() =>
  request('notice.list', {
    limit: z.number().int().min(1).max(200).optional(),
  }),
);
/** Everything up to `upTo` (a notice id) has been seen; the mark never moves back. Owner only; `ok`. */
export const NoticeReadSchema = lazySchema(() =>
  request('notice.read', { upTo: z.number().int().nonnegative() }),
);

export const NoticeListResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('notice.list.result'),
    replyTo: RequestIdSchema,
    notices: z.array(NoticeSchema),
    /** Notices with a greater id are unread. */
    readUpTo: z.number().int().nonnegative(),
  }),
);

/** Pushed to owners: a new notice (`added`), or the read mark moved from some window (`read`). */
export const NoticeEventSchema = lazySchema(() =>
  z.object({
    type: z.literal('notice.event'),
    kind: z.enum(['added', 'read']),
    notice: NoticeSchema.optional(),
    readUpTo: z.number().int().nonnegative(),
  }),
);
