// Invites and who came in with them: create (a link), list, revoke; approving joins; kicking a client.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { RequestIdSchema, request } from './base.js';

export const InviteRoleSchema = lazySchema(() => z.enum(['driver', 'observer']));

/** A person's name for an invite: shown in presence, on the lease and in the audit trail. */
export const InviteNameSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^\p{Cc}]+$/u, 'no control characters'),
);

export const InviteCreateSchema = lazySchema(() =>
  request('invite.create', {
    role: InviteRoleSchema,
    session: z.string().min(1).max(200).optional(),
    ttlSeconds: z
      .number()
      .int()
      .min(10)
      .max(7 * 24 * 3600)
      .default(3600),
    name: InviteNameSchema.optional(),
    /** Each join with this invite waits for the owner's approval (2 minutes at most). */
    approve: z.boolean().optional(),
  }),
);

export const InviteCreatedSchema = lazySchema(() =>
  z.object({
    type: z.literal('invite.created'),
    replyTo: RequestIdSchema,
    /** The invite's short id (`switchboard revoke ID`); not a secret. */
    id: z.string(),
    token: z.string(),
    /**
     * What to give the invitee: `https://ADDR:PORT/ui/#invite=TOKEN&fp=SHA256` on the LAN listener, or the
     * loopback listener's `http://127.0.0.1:PORT/ui/#invite=TOKEN` when the hub has no LAN listener (`lan`).
     */
    link: z.string(),
    lan: z.boolean(),
    role: InviteRoleSchema,
    session: z.string().optional(),
    name: z.string(),
    approve: z.boolean(),
    expiresAt: z.string(),
  }),
);

export const InviteInfoSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    name: z.string(),
    role: InviteRoleSchema,
    /** The one session it reaches, or null for every session. */
    session: z.string().nullable(),
    expiresAt: z.string(),
    approve: z.boolean(),
    /** Successful joins (connections and browser logins) so far. */
    uses: z.number().int().nonnegative(),
    /** Clients connected with it now. */
    clients: z.array(z.object({ clientId: z.string(), address: z.string(), client: z.string() })),
  }),
);
export type InviteInfo = z.infer<typeof InviteInfoSchema>;

/** A join waiting for the owner, for invites made with `approve`. */
export const JoinRequestSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    invite: z.string(),
    name: z.string(),
    role: InviteRoleSchema,
    address: z.string(),
    /** When it is refused unless approved. */
    expiresAt: z.string(),
  }),
);
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

export const InviteListSchema = lazySchema(() => request('invite.list', {}));
export const InviteListResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('invite.list.result'),
    replyTo: RequestIdSchema,
    invites: z.array(InviteInfoSchema),
    joinRequests: z.array(JoinRequestSchema),
    /** The LAN listener (`--lan`): its URL and certificate fingerprint; null when the hub has none. */
    lan: z.object({ url: z.string(), fingerprint: z.string() }).nullable().optional(),
  }),
);

export const InviteRevokeSchema = lazySchema(() =>
  request('invite.revoke', { invite: z.string().min(1).max(64) }),
);
export const InviteRevokedSchema = lazySchema(() =>
  z.object({
    type: z.literal('invite.revoked'),
    replyTo: RequestIdSchema,
    id: z.string(),
    /** Clients disconnected because they had joined with it. */
    disconnected: z.number().int().nonnegative(),
  }),
);

/** Owner only: disconnects one client (it may join again unless its invite is revoked). */
export const ClientKickSchema = lazySchema(() =>
  request('client.kick', { clientId: z.string().min(1).max(100) }),
);

/** Owner only: `request` is a join request's id, or an invite id (its oldest waiting join). */
export const JoinDecideSchema = lazySchema(() =>
  request('join.decide', {
    request: z.string().min(1).max(64),
    allow: z.boolean(),
  }),
);

/** To owners: someone waits to join (`pending`), or a wait ended (`settled`: approved, refused, timed out). */
export const JoinEventSchema = lazySchema(() =>
  z.object({
    type: z.literal('join.event'),
    kind: z.enum(['pending', 'approved', 'refused', 'expired', 'gone']),
    request: JoinRequestSchema,
  }),
);

/** Owner only: turn the LAN listener on (optionally on another address or port) or off. */
export const LanSetSchema = lazySchema(() =>
  request('lan.set', {
    on: z.boolean(),
    bind: z.string().min(1).max(100).optional(),
    port: z.number().int().min(0).max(65535).optional(),
  }),
);
export const LanStateSchema = lazySchema(() =>
  z.object({
    type: z.literal('lan.state'),
    replyTo: RequestIdSchema,
    lan: z.object({ url: z.string(), fingerprint: z.string() }).nullable(),
  }),
);

/** Sent to a client just before the hub closes its connection on purpose, saying why. */
export const ConnectionClosingSchema = lazySchema(() =>
  z.object({
    type: z.literal('connection.closing'),
    reason: z.enum(['revoked', 'kicked', 'refused', 'hub_stopping']),
    message: z.string(),
  }),
);
export type ConnectionClosing = z.infer<typeof ConnectionClosingSchema>;
