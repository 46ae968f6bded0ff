// Building blocks every message family uses: request ids, session references, sizes.
import { z } from 'zod';
import { lazySchema } from './lazy.js';

/** Client-chosen correlation id; replies carry it back as `replyTo`. */
export const RequestIdSchema = lazySchema(() =>
  z.union([z.string().min(1).max(64), z.number().int().nonnegative()]),
);
export type RequestId = z.infer<typeof RequestIdSchema>;

/** A session id, a unique id prefix, or a unique name. */
export const SessionRefSchema = lazySchema(() => z.string().min(1).max(200));

export const ColsSchema = lazySchema(() => z.number().int().min(2).max(1000));
export const RowsSchema = lazySchema(() => z.number().int().min(1).max(500));

export const request = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ type: z.literal(type), id: RequestIdSchema, ...shape }).strict();
