// Generic replies: success without a payload, and coded errors.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { ErrorCodeSchema } from '../errors.js';
import { RequestIdSchema, SessionRefSchema } from './base.js';

export const OkSchema = lazySchema(() => z.object({ type: z.literal('ok'), replyTo: RequestIdSchema }));

export const ErrorMessageSchema = lazySchema(() =>
  z.object({
    type: z.literal('error'),
    replyTo: RequestIdSchema.optional(),
    code: ErrorCodeSchema,
    message: z.string(),
    /**
     * The session a refused message without an id was about (a keystroke sent without one), as the client
     * named it: such an error has no `replyTo`, so this is how a client with several panes tells which
     * pane typed. Absent on every other error; older hubs never send it.
     */
    session: SessionRefSchema.optional(),
  }),
);
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;
