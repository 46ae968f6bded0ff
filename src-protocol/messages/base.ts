// Building blocks every message family uses: request ids, session references, sizes.
import { z } from 'zod';

/** Client-chosen correlation id; replies carry it back as `replyTo`. */
export const RequestIdSchema = z.union([z.string().min(1).max(64), z.number().int().nonnegative()]);
export type RequestId = z.infer<typeof RequestIdSchema>;

/** A session id, a unique id prefix, or a unique name. */
export const SessionRefSchema = z.string().min(1).max(200);

export const ColsSchema = z.number().int().min(2).max(1000);
export const RowsSchema = z.number().int().min(1).max(500);

export const request = <K extends string, T extends z.ZodRawShape>(type: K, shape: T) =>
  z.object({ type: z.literal(type), id: RequestIdSchema, ...shape }).strict();
