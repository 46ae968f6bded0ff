// The input lease: one driver writes at a time; the owner grants, takes over, and always may write.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { SessionRefSchema, request } from './base.js';

export const LeaseRequestSchema = lazySchema(() => request('lease.request', { session: SessionRefSchema }));
export const LeaseReleaseSchema = lazySchema(() => request('lease.release', { session: SessionRefSchema }));
export const LeaseGrantSchema = lazySchema(() =>
  request('lease.grant', {
    session: SessionRefSchema,
    clientId: z.string().min(1).max(100),
  }),
);
export const LeaseTakeSchema = lazySchema(() => request('lease.take', { session: SessionRefSchema }));

export const LeaseEventSchema = lazySchema(() =>
  z.object({
    type: z.literal('lease.changed'),
    session: z.string(),
    holder: z.string().nullable(),
    /** The holder's name (its invite's name, or `owner`), for status lines and badges. */
    holderName: z.string().nullable().optional(),
    /** Clients waiting for the owner to grant them the lease, oldest first. */
    pending: z.array(z.string()),
    reason: z.enum(['granted', 'auto', 'taken', 'released', 'expired', 'requested', 'detached']),
  }),
);
export type LeaseEvent = z.infer<typeof LeaseEventSchema>;
