// The hand-written checks for keystrokes, acks and `ok` replies (issue 12) agree with the zod schemas:
// whatever they accept, the schema accepts with the same result; what they leave, the schema words.
import { describe, expect, it } from 'vitest';
import {
  ClientMessageSchema,
  FrameError,
  HubMessageSchema,
  parseClientMessage,
  parseHubMessage,
} from '../messages.js';
import { fastClientMessage, fastHubMessage } from './fastPath.js';

const long = (n: number) => 'x'.repeat(n);

const VALID_CLIENT = [
  { type: 'pty.input', id: 1, session: 'api', data: 'a' },
  { type: 'pty.input', session: 'api', data: 'a' }, // no id: no `ok` answers it
  { type: 'pty.input', session: 'api', data: '\r', submit: true },
  { type: 'pty.input', id: 0, session: 's', data: 'ls\r', submit: true },
  { type: 'pty.input', id: 'r-1', session: long(200), data: '\x1b[A', submit: false },
  { type: 'pty.input', id: long(64), session: 'api', data: long(10_000) },
  { type: 'pty.ack', session: 'api', chars: 1 },
  { type: 'pty.ack', session: 'api', chars: 2 ** 53 - 1 },
];

const INVALID_CLIENT = [
  { type: 'pty.input', session: 'api', data: 5 }, // no id, and no text
  { type: 'pty.input', id: null, session: 'api', data: 'a' },
  { type: 'pty.input', id: -1, session: 'api', data: 'a' },
  { type: 'pty.input', id: 1.5, session: 'api', data: 'a' },
  { type: 'pty.input', id: 2 ** 53, session: 'api', data: 'a' },
  { type: 'pty.input', id: '', session: 'api', data: 'a' },
  { type: 'pty.input', id: long(65), session: 'api', data: 'a' },
  { type: 'pty.input', id: 1, session: '', data: 'a' },
  { type: 'pty.input', id: 1, session: long(201), data: 'a' },
  { type: 'pty.input', id: 1, session: 7, data: 'a' },
  { type: 'pty.input', id: 1, session: 'api', data: '' },
  { type: 'pty.input', id: 1, session: 'api', data: ['a'] },
  { type: 'pty.input', id: 1, session: 'api', data: 'a', submit: 'yes' },
  { type: 'pty.input', id: 1, session: 'api', data: 'a', extra: 1 },
  JSON.parse('{"type":"pty.input","id":1,"session":"api","data":"a","__proto__":{"x":1}}') as object,
  { type: 'pty.ack', session: 'api', chars: 0 },
  { type: 'pty.ack', session: 'api', chars: 1.5 },
  { type: 'pty.ack', session: 'api', chars: '5' },
  { type: 'pty.ack', session: 'api', chars: 5, id: 1 },
  { type: 'pty.ack', chars: 5 },
];

describe('fast message checks', () => {
  it('accept the frames of typing, with what the schema returns', () => {
    for (const value of VALID_CLIENT) {
      const copy = structuredClone(value) as Record<string, unknown>;
      expect(fastClientMessage(copy), JSON.stringify(value)).toEqual(ClientMessageSchema.parse(value));
      expect(parseClientMessage(JSON.stringify(value))).toEqual(ClientMessageSchema.parse(value));
    }
    for (const value of [
      { type: 'ok', replyTo: 3 },
      { type: 'ok', replyTo: 'abc' },
      { type: 'ok', replyTo: 4, stray: true },
    ]) {
      expect(fastHubMessage(value)).toEqual(HubMessageSchema.parse(value));
      expect(parseHubMessage(JSON.stringify(value))).toEqual(HubMessageSchema.parse(value));
    }
  });

  it('leave every invalid frame to the schema, which rejects it with a coded error', () => {
    for (const value of INVALID_CLIENT) {
      expect(fastClientMessage(value as Record<string, unknown>), JSON.stringify(value)).toBeUndefined();
      expect(ClientMessageSchema.safeParse(value).success, JSON.stringify(value)).toBe(false);
      const frame = JSON.stringify(value);
      expect(() => parseClientMessage(frame)).toThrow(FrameError);
    }
    for (const value of [{ type: 'ok' }, { type: 'ok', replyTo: -2 }, { type: 'ok', replyTo: 1.5 }]) {
      expect(fastHubMessage(value)).toBeUndefined();
      expect(() => parseHubMessage(JSON.stringify(value))).toThrow(FrameError);
    }
  });

  it('keep the request id of an invalid keystroke for the error reply', () => {
    try {
      parseClientMessage(JSON.stringify({ type: 'pty.input', id: 9, session: 'api', data: '' }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FrameError);
      expect((error as FrameError).code).toBe('invalid_message');
      expect((error as FrameError).replyTo).toBe(9);
    }
  });

  it('do not take other message types', () => {
    expect(
      fastClientMessage({ type: 'pty.resize', id: 1, session: 'api', cols: 80, rows: 24 }),
    ).toBeUndefined();
    expect(fastHubMessage({ type: 'error', replyTo: 1, code: 'internal', message: 'x' })).toBeUndefined();
  });
});
