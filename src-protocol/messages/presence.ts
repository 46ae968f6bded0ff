// Presence: who is attached to a session, with which role; and one-time login tickets for the web UI.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { AttachRoleSchema } from './attach.js';
import { RequestIdSchema, request } from './base.js';

export const PresenceEntrySchema = lazySchema(() =>
  z.object({
    clientId: z.string(),
    role: AttachRoleSchema,
    /** The label the client gave at `auth` (`cli`, `web`, `desktop`, …); `client` when it gave none. */
    client: z.string(),
    /** Who it is: the name of the invite it joined with, or `owner`. */
    name: z.string().optional(),
  }),
);
export type PresenceEntry = z.infer<typeof PresenceEntrySchema>;

/**
 * Everyone attached to a session, oldest first. Sent to the session's attached clients and to owners
 * whenever someone attaches, detaches or changes role; an attaching client gets it right after its snapshot.
 */
export const PresenceEventSchema = lazySchema(() =>
  z.object({
    type: z.literal('session.presence'),
    session: z.string(),
    clients: z.array(PresenceEntrySchema),
  }),
);
export type PresenceEvent = z.infer<typeof PresenceEventSchema>;

/** Owner only: a single-use, short-lived ticket that logs a browser into the web UI (`switchboard open`). */
export const LoginCreateSchema = lazySchema(() => request('login.create', {}));

export const LoginCreatedSchema = lazySchema(() =>
  z.object({
    type: z.literal('login.created'),
    replyTo: RequestIdSchema,
    ticket: z.string(),
    /** Path and fragment to open on the hub's origin; the fragment never reaches a server log. */
    path: z.string(),
    expiresAt: z.string(),
  }),
);
