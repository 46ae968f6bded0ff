// Every message schema round-trips through JSON, and malformed frames give stable error codes.
import { describe, expect, it } from 'vitest';
import { clientSamples, hubSamples } from '../test/messageSamples.js';
import {
  describeIssues,
  FrameError,
  HubMessageSchema,
  parseClientMessage,
  parseHubMessage,
} from './index.js';

describe('message schemas', () => {
  it.each(Object.entries(clientSamples))('client message %s round-trips', (_type, sample) => {
    expect(parseClientMessage(JSON.stringify(sample))).toEqual(sample);
  });

  it.each(Object.entries(hubSamples))('hub message %s round-trips', (_type, sample) => {
    expect(parseHubMessage(JSON.stringify(sample))).toEqual(sample);
    expect(HubMessageSchema.parse(sample)).toEqual(sample);
  });

  it('reads an error that names the session of a refused keystroke, and one from an older hub without it', () => {
    const refusal = { type: 'error', code: 'lease_held', message: 'Ask for the lease.', session: 's1' };
    expect(parseHubMessage(JSON.stringify(refusal))).toEqual(refusal);
    const older = { type: 'error', code: 'lease_held', message: 'Ask for the lease.' };
    expect(parseHubMessage(JSON.stringify(older))).toEqual(older);
    expect(parseHubMessage(JSON.stringify(older))).not.toHaveProperty('session');
    for (const session of ['', 'x'.repeat(201), 7])
      expect(() => parseHubMessage(JSON.stringify({ ...refusal, session }))).toThrow(FrameError);
  });

  it('fills documented defaults', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'invite.create', id: 1, role: 'driver' }));
    expect(parsed).toMatchObject({ ttlSeconds: 3600 });
  });
});

describe('invalid frames', () => {
  const failure = (frame: string) => {
    try {
      parseClientMessage(frame);
    } catch (error) {
      if (error instanceof FrameError)
        return { code: error.code, replyTo: error.replyTo, message: error.message };
      throw error;
    }
    throw new Error('expected the frame to be refused');
  };

  it.each([
    ['not JSON', '{"type":', 'bad_frame'],
    ['an array', '[1,2]', 'bad_frame'],
    ['a string', '"auth"', 'bad_frame'],
    ['no type', '{"id":1}', 'bad_frame'],
    ['a numeric type', '{"type":5,"id":1}', 'bad_frame'],
  ])('%s is a bad_frame', (_what, frame, code) => {
    expect(failure(frame).code).toBe(code);
  });

  it('names an unknown type and keeps the request id', () => {
    expect(failure('{"type":"pty.explode","id":"x1"}')).toMatchObject({
      code: 'unknown_type',
      replyTo: 'x1',
    });
  });

  it('says which field is wrong', () => {
    const result = failure('{"type":"pty.resize","id":9,"session":"a","cols":0,"rows":24}');
    expect(result).toMatchObject({ code: 'invalid_message', replyTo: 9 });
    expect(result.message).toContain('cols');
  });

  it('refuses unknown fields (strict schemas catch typos)', () => {
    expect(failure('{"type":"attach","id":1,"session":"a","mode":"drive","role":"owner"}').code).toBe(
      'invalid_message',
    );
  });

  it('refuses a missing id on a request', () => {
    expect(failure('{"type":"session.list"}').code).toBe('invalid_message');
  });
});

describe('hub frames checked by their own schema', () => {
  // parseHubMessage builds only the schema of the frame's type (messages/lazy.ts); the union, built whole,
  // is what it used to ask: for every frame, the same message or the same words.
  const outcome = (text: string) => {
    try {
      return parseHubMessage(text);
    } catch (error) {
      if (error instanceof FrameError) return `${error.code}: ${error.message}`;
      throw error;
    }
  };
  const mutations: unknown[] = [undefined, null, -1, 1.5, '', 'x'.repeat(300), {}, [], true];
  const frames: Array<{ type: string; [field: string]: unknown }> = Object.values(hubSamples).flatMap(
    (sample) => {
      const entries = Object.entries(sample);
      return [
        ...entries.flatMap(([key]) =>
          key === 'type' ? [] : mutations.map((value) => ({ ...sample, [key]: value })),
        ),
        { ...sample, extra: 1 },
      ];
    },
  );
  frames.push({ type: 'no.such.type', replyTo: 1 }, { type: 'constructor' }, { type: '__proto__' });

  it('every sample with each field changed, an extra field, unknown types: what the union gives', () => {
    let refused = 0;
    for (const frame of frames) {
      const text = JSON.stringify(frame);
      const union = HubMessageSchema.safeParse(JSON.parse(text));
      if (union.success) expect(outcome(text)).toEqual(union.data);
      else {
        refused++;
        expect(outcome(text)).toBe(
          `invalid_message: Invalid hub message ${JSON.stringify(frame.type)}: ${describeIssues(union.error)}.`,
        );
      }
    }
    expect(refused).toBeGreaterThan(frames.length / 2);
  });
});
