// The frames of typing, checked by hand (issue 12): a keystroke (`pty.input`) and an ack on the hub, the
// `ok` that answers a keystroke in the client. Validating them with the zod union cost about 0.2 ms per
// keystroke before the hub could write it to the pty. These checks only ever accept: a value they accept
// is one the zod schema accepts, and they return what it would return; anything else (including every
// invalid frame) goes on to the schema, which words the error.
import type { z } from 'zod';
import type { AckSchema, InputSchema } from './attach.js';
import type { OkSchema } from './reply.js';

type Fields = Record<string, unknown>;

/** RequestIdSchema's test (zod's `int()` is a safe integer), without building a parse result. */
export const isRequestId = (value: unknown): value is string | number =>
  typeof value === 'string'
    ? value.length >= 1 && value.length <= 64
    : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const isSessionRef = (value: unknown) =>
  typeof value === 'string' && value.length >= 1 && value.length <= 200;

/** Whether `record` has no key outside `allowed` (the schemas are strict). */
function onlyKeys(record: Fields, allowed: readonly string[]): boolean {
  for (const key in record) if (!allowed.includes(key)) return false;
  return true;
}

const INPUT_KEYS = ['type', 'id', 'session', 'data', 'submit'] as const;
const ACK_KEYS = ['type', 'session', 'chars'] as const;

export function fastClientMessage(
  record: Fields,
): z.infer<typeof InputSchema> | z.infer<typeof AckSchema> | undefined {
  if (record.type === 'pty.input') {
    const { id, session, data, submit } = record;
    // A keystroke may come without an id (no `ok` for it); a present id must be a valid one.
    if (id !== undefined && !isRequestId(id)) return undefined;
    if (!isSessionRef(session) || typeof data !== 'string' || data.length === 0) return undefined;
    if (submit !== undefined && typeof submit !== 'boolean') return undefined;
    if (!onlyKeys(record, INPUT_KEYS)) return undefined;
    return record as z.infer<typeof InputSchema>;
  }
  if (record.type === 'pty.ack') {
    const { session, chars } = record;
    if (!isSessionRef(session) || typeof chars !== 'number' || !Number.isSafeInteger(chars) || chars <= 0)
      return undefined;
    if (!onlyKeys(record, ACK_KEYS)) return undefined;
    return record as z.infer<typeof AckSchema>;
  }
  return undefined;
}

export function fastHubMessage(record: Fields): z.infer<typeof OkSchema> | undefined {
  if (record.type !== 'ok' || !isRequestId(record.replyTo)) return undefined;
  return { type: 'ok', replyTo: record.replyTo };
}
