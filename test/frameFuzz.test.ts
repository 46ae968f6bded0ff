// Ring 1 property fuzz (issue 9, hostile input never takes the hub down): parseClientMessage returns a valid
// message or throws a FrameError with a protocol code, for any text, any JSON, and frames shaped like each type.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ClientMessageSchema,
  describeIssues,
  ErrorCodeSchema,
  FrameError,
  HubError,
  parseClientMessage,
} from '../src-protocol/index.js';
import {
  CLIENT_TYPES,
  fuzzRuns,
  hostileFrame,
  safeJson,
  specialFrames,
  validSamples,
  type Targets,
} from './hostileFrames.js';

const PARSER_CODES = ['bad_frame', 'unknown_type', 'invalid_message'];

/** The parser's contract: a valid message (which survives a round trip), or a coded FrameError. */
function checkParse(text: string): void {
  let message: unknown;
  try {
    message = parseClientMessage(text);
  } catch (error) {
    if (!(error instanceof FrameError) || !(error instanceof HubError))
      throw new Error(`parseClientMessage threw a non-FrameError: ${String(error)}`, { cause: error });
    expect(ErrorCodeSchema.options).toContain(error.code);
    expect(PARSER_CODES).toContain(error.code);
    expect(typeof error.message).toBe('string');
    expect(error.message.length).toBeGreaterThan(0);
    if (error.replyTo !== undefined) expect(['string', 'number']).toContain(typeof error.replyTo);
    return;
  }
  expect(ClientMessageSchema.safeParse(message).success).toBe(true);
  expect(CLIENT_TYPES).toContain((message as { type: string }).type);
  expect(parseClientMessage(JSON.stringify(message))).toEqual(message);
}

const parserTargets: Targets = { sessions: ['api', '8d3c1f3e'], clientIds: ['c-1'], tokens: ['sbo_x'] };

describe('parseClientMessage under hostile frames', () => {
  it('has a valid sample for every client type, and each parses', () => {
    const samples = validSamples(parserTargets);
    expect(Object.keys(samples).sort()).toEqual([...CLIENT_TYPES].sort());
    for (const sample of Object.values(samples))
      expect(parseClientMessage(JSON.stringify(sample))).toEqual(sample);
  });

  it('arbitrary text: a message or a coded FrameError', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), checkParse), fuzzRuns(2_000));
  });

  it('arbitrary JSON: a message or a coded FrameError', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 4 }), checkParse), fuzzRuns(2_000));
  });

  it('frames shaped like each message type, fields mutated: a message or a coded FrameError', () => {
    let valid = 0;
    fc.assert(
      fc.property(hostileFrame(parserTargets), (text) => {
        checkParse(text);
        if (ClientMessageSchema.safeParse(safeJson(text)).success) valid++;
      }),
      fuzzRuns(6_000),
    );
    // The generator is useful only if it reaches the handlers' side too: a fair share must be valid.
    expect(valid).toBeGreaterThan(600);
  });

  it('each type checked by its own schema: the same result and the same words as the whole union', () => {
    // The parser looks a frame's type up and builds only that schema (messages/lazy.ts); the union, built
    // whole, is what it used to ask. For every frame both must agree: the message, or the error's words.
    let refused = 0;
    fc.assert(
      fc.property(hostileFrame(parserTargets), (text) => {
        const value = safeJson(text) as { type?: unknown } | undefined;
        if (typeof value?.type !== 'string' || !CLIENT_TYPES.includes(value.type)) return;
        const union = ClientMessageSchema.safeParse(value);
        let outcome: unknown;
        try {
          outcome = parseClientMessage(text);
        } catch (error) {
          outcome = error instanceof FrameError ? `${error.code}: ${error.message}` : error;
        }
        if (union.success) expect(outcome).toEqual(union.data);
        else {
          refused++;
          const type = JSON.stringify(value.type.length > 64 ? `${value.type.slice(0, 64)}…` : value.type);
          expect(outcome).toBe(`invalid_message: Invalid ${type} message: ${describeIssues(union.error)}.`);
        }
      }),
      fuzzRuns(3_000),
    );
    expect(refused).toBeGreaterThan(300);
  });

  it('deep nesting, frames at the size cap, lone surrogates: a message or a coded FrameError', () => {
    for (const text of specialFrames()) checkParse(text);
  });
});
