// Generic replies: success without a payload, and coded errors.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { ErrorCodeSchema } from '../errors.js';
import { RequestIdSchema } from './base.js';

export const OkSchema = lazySchema(() => z.object({ type: z.literal('ok'), replyTo: RequestIdSchema }));

export const ErrorMessageSchema = lazySchema(() =>
  z.object({
    type: z.literal('error'),
    replyTo: RequestIdSchema.optional(),
    code: ErrorCodeSchema,
    message: z.string(),
  }),
);
export type ErrorMessage = z.infer<typeof ErrorMessageSchema>;
