// A session's activity, from the hub database's event table: who attached, who typed how much (never
// what), oldest first. For the owner's per-session activity list (issue 10).
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { RequestIdSchema, SessionRefSchema, request } from './base.js';

export const SessionActivitySchema = lazySchema(() =>
  request('session.activity', {
    session: SessionRefSchema,
    /** The most recent this many events (default 200). */
    limit: z.number().int().min(1).max(1000).optional(),
  }),
);

export const ActivityEventSchema = lazySchema(() =>
  z.object({
    at: z.string(),
    /** `session.input`, `client.attached`, `client.detached`, … */
    kind: z.string(),
    /** Fields as recorded: client, credential, name, chars, role, … */
    data: z.record(z.string(), z.unknown()),
  }),
);
export type ActivityEvent = z.infer<typeof ActivityEventSchema>;

export const SessionActivityResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('session.activity.result'),
    replyTo: RequestIdSchema,
    session: z.string(),
    events: z.array(ActivityEventSchema),
  }),
);
