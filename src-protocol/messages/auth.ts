// The first frame of every connection: a token, answered with the principal the hub sees.
import { z } from 'zod';
import { RequestIdSchema, request } from './base.js';

export const PrincipalRoleSchema = z.enum(['owner', 'driver', 'observer']);
export type PrincipalRole = z.infer<typeof PrincipalRoleSchema>;

export const AuthSchema = request('auth', {
  token: z.string().min(1).max(512),
  client: z.string().max(100).optional(),
});

export const AuthOkSchema = z.object({
  type: z.literal('auth.ok'),
  replyTo: RequestIdSchema,
  clientId: z.string(),
  role: PrincipalRoleSchema,
  /** Set when an invite limits this principal to one session. */
  session: z.string().optional(),
  hubVersion: z.string(),
});

export const InviteCreateSchema = request('invite.create', {
  role: z.enum(['driver', 'observer']),
  session: z.string().min(1).max(200).optional(),
  ttlSeconds: z
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .default(3600),
});

export const InviteCreatedSchema = z.object({
  type: z.literal('invite.created'),
  replyTo: RequestIdSchema,
  token: z.string(),
  role: z.enum(['driver', 'observer']),
  session: z.string().optional(),
  expiresAt: z.string(),
});
