// The first frame of every connection: a token, answered with the principal the hub sees.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { RequestIdSchema, request } from './base.js';

export const PrincipalRoleSchema = lazySchema(() => z.enum(['owner', 'driver', 'observer']));
export type PrincipalRole = z.infer<typeof PrincipalRoleSchema>;

export const AuthSchema = lazySchema(() =>
  request('auth', {
    token: z.string().min(1).max(512),
    client: z.string().max(100).optional(),
  }),
);

export const AuthOkSchema = lazySchema(() =>
  z.object({
    type: z.literal('auth.ok'),
    replyTo: RequestIdSchema,
    clientId: z.string(),
    role: PrincipalRoleSchema,
    /** Set when an invite limits this principal to one session. */
    session: z.string().optional(),
    hubVersion: z.string(),
    /** The hub machine's name, under which a client that joins several hubs groups this one's sessions. */
    hubName: z.string().max(255).optional(),
  }),
);
