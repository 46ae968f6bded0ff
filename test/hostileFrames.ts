// Hostile client frames for the fuzz and soak tests (issue 9): every client message type, valid and mutated.
import fc from 'fast-check';
import {
  clientMessageSchemas,
  ErrorCodeSchema,
  HubMessageSchema,
  type ClientMessage,
  type ClientMessageType,
  type HubMessage,
} from '../src-protocol/index.js';
import { LIMITS } from '../src-hub/limits.js';

/** Every client message type, read from the protocol's schema list (a new type is fuzzed without edits). */
export const CLIENT_TYPES: readonly string[] = clientMessageSchemas.map((schema) => schema.shape.type.value);

/** The fields each type takes besides `type`, read from its schema. */
export const FIELDS: ReadonlyMap<string, readonly string[]> = new Map(
  clientMessageSchemas.map((schema) => [
    schema.shape.type.value,
    Object.keys(schema.shape).filter((key) => key !== 'type'),
  ]),
);

/** What the frames aim at: real sessions, clients and tokens make valid-looking frames reach the handlers. */
export interface Targets {
  sessions: readonly string[];
  clientIds?: readonly string[];
  tokens?: readonly string[];
  tasks?: readonly string[];
}

/**
 * One valid message per client type; the `satisfies` makes a type without a sample a compile error. Where a
 * valid message would start something (a session, a task), it points at a directory that does not exist.
 */
export function validSamples(targets: Targets, id: number | string = 1) {
  const session = targets.sessions[0] ?? 'no-such-session';
  const task = targets.tasks?.[0] ?? 'no-such-task';
  return {
    auth: { type: 'auth', id, token: targets.tokens?.[0] ?? 'sbo_guess', client: 'fuzz' },
    'invite.create': { type: 'invite.create', id, role: 'observer', session, ttlSeconds: 60 },
    'session.list': { type: 'session.list', id },
    'session.create': {
      type: 'session.create',
      id,
      name: 'fuzz-made',
      cwd: NOWHERE,
      command: 'switchboard-no-such-command',
      args: ['-c', 'true'],
      env: { FUZZ: '1' },
      cols: 80,
      rows: 24,
    },
    'session.kill': { type: 'session.kill', id, session },
    'session.remove': { type: 'session.remove', id, session },
    'session.screen': { type: 'session.screen', id, session },
    attach: { type: 'attach', id, session, mode: 'observe' },
    detach: { type: 'detach', id, session },
    'pty.ack': { type: 'pty.ack', session, chars: 4096 },
    'pty.input': { type: 'pty.input', id, session, data: 'fuzz\r' },
    'pty.interrupt': { type: 'pty.interrupt', id, session },
    'pty.resize': { type: 'pty.resize', id, session, cols: 100, rows: 30 },
    'lease.request': { type: 'lease.request', id, session },
    'lease.release': { type: 'lease.release', id, session },
    'lease.grant': { type: 'lease.grant', id, session, clientId: targets.clientIds?.[0] ?? 'c-0000000000' },
    'lease.take': { type: 'lease.take', id, session },
    'task.delegate': { type: 'task.delegate', id, instructions: 'fuzz', title: 'fuzz', cwd: NOWHERE },
    'task.list': { type: 'task.list', id },
    'task.get': { type: 'task.get', id, task, waitSeconds: 0 },
    'task.cancel': { type: 'task.cancel', id, task },
    'task.reroute': { type: 'task.reroute', id, task, to: session },
    'task.retry': { type: 'task.retry', id, task, cwd: NOWHERE, force: true },
    'worktree.merge': { type: 'worktree.merge', id, task, mode: 'discard', force: false },
    'login.create': { type: 'login.create', id },
    'invite.list': { type: 'invite.list', id },
    'invite.revoke': { type: 'invite.revoke', id, invite: 'ab12cd34' },
    // Never one of the fuzz's own clients: kicking them would end the run, not test the hub.
    'client.kick': { type: 'client.kick', id, clientId: 'c-0000000000' },
    'join.decide': { type: 'join.decide', id, request: 'j-00000000', allow: true },
    'lan.set': { type: 'lan.set', id, on: false },
    'session.activity': { type: 'session.activity', id, session, limit: 5 },
    'inbox.list': { type: 'inbox.list', id },
    'inbox.answer': { type: 'inbox.answer', id, item: 'in-0', answer: { action: 'reply', text: 'yes' } },
    'notice.list': { type: 'notice.list', id },
    'notice.read': { type: 'notice.read', id, upTo: 0 },
    'session.rename': { type: 'session.rename', id, session, name: 'fuzz-renamed' },
    'session.restart': { type: 'session.restart', id, session },
    'session.duplicate': { type: 'session.duplicate', id, session, name: 'fuzz-copy' },
    'task.history': { type: 'task.history', id, task: 'fuzz-task' },
  } satisfies { [T in ClientMessageType]: Extract<ClientMessage, { type: T }> };
}

/** A working directory that does not exist: a session or task the fuzz starts fails before it spawns. */
export const NOWHERE = '/nonexistent/switchboard-fuzz';

const around = (limit: number) => [limit - 1, limit, limit + 1];
/** Strings and numbers on and just past the schemas' bounds (ids 64, refs 200, tokens 512, sizes, …). */
const BOUNDARY_LENGTHS = [0, 1, ...around(64), ...around(100), ...around(200), ...around(512), 4097, 100_001];
const SPECIAL_STRINGS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '\u0000',
  '\ud800', // a lone surrogate: not valid UTF-16 text
  '\udfff\ud800',
  '\u001b[6n', // a terminal query (the hub strips replies from input)
  '\u001b]52;c;aGk=\u0007',
  '\r\n',
  '../../etc/passwd',
  '%',
  '%00',
  '😀'.repeat(50),
  'c-',
  'auth',
  'session.list',
  'Auth',
  'session.list ',
];
const SPECIAL_NUMBERS = [
  -1,
  0,
  1,
  1.5,
  -0.5,
  2,
  499,
  500,
  501,
  999,
  1000,
  1001,
  3600,
  3601,
  2 ** 31,
  2 ** 53,
  1e21,
  1e308,
  -1e308,
];

/** Any JSON value a hostile client might put where a field belongs. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(...SPECIAL_STRINGS, ...SPECIAL_NUMBERS, true, false, null, [], {}),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom(...BOUNDARY_LENGTHS).map((length) => 'x'.repeat(length)) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** A request id: mostly valid, sometimes one the schema refuses. */
const idValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.nat({ max: 1_000_000 }) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 64 }) },
  { weight: 1, arbitrary: hostileValue },
);

/** Other values the schemas accept, so valid frames take every branch (drive and observe, each role). */
const PLAUSIBLE: Record<string, fc.Arbitrary<unknown>> = {
  mode: fc.constantFrom('drive', 'observe', 'merge', 'rebase', 'discard'),
  role: fc.constantFrom('driver', 'observer', 'owner'),
  cols: fc.integer({ min: 2, max: 1000 }),
  rows: fc.integer({ min: 1, max: 500 }),
  chars: fc.integer({ min: 1, max: 5_000_000 }),
  data: fc.string({ minLength: 1, maxLength: 40 }),
  force: fc.boolean(),
  ttlSeconds: fc.integer({ min: 10, max: 7 * 24 * 3600 }),
  waitSeconds: fc.constantFrom(0, 0.001),
  worktree: fc.constantFrom(true, false, 'fuzz-branch'),
  client: fc.string({ maxLength: 100 }),
};

/** A value for `key` of a message: the valid one, another plausible one, a real target, or something hostile. */
function fieldValue(key: string, valid: unknown, targets: Targets): fc.Arbitrary<unknown> {
  const pool: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 2, arbitrary: hostileValue }];
  if (valid !== undefined) pool.push({ weight: 6, arbitrary: fc.constant(valid) });
  const plausible = PLAUSIBLE[key];
  if (plausible) pool.push({ weight: 3, arbitrary: plausible });
  const real =
    key === 'session' || key === 'to'
      ? targets.sessions
      : key === 'clientId'
        ? targets.clientIds
        : key === 'token'
          ? targets.tokens
          : key === 'task'
            ? targets.tasks
            : undefined;
  if (real && real.length > 0) pool.push({ weight: 3, arbitrary: fc.constantFrom(...real) });
  if (key === 'id') pool.push({ weight: 4, arbitrary: idValue });
  return fc.oneof(...pool);
}

/** A JSON object written out by hand, so duplicate keys and a literal `__proto__` key survive. */
const objectText = (entries: ReadonlyArray<readonly [string, unknown]>) =>
  `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`).join(',')}}`;

const EXTRA_KEYS = ['__proto__', 'constructor', 'type', 'id', 'extra', 'session', 'token', 'replyTo'];

/** A frame shaped like one of the client types (or a near miss), each field kept, changed or dropped. */
export function shapedFrame(targets: Targets): fc.Arbitrary<string> {
  const samples = validSamples(targets) as Record<string, Record<string, unknown>>;
  const typeValue = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...CLIENT_TYPES) },
    { weight: 1, arbitrary: fc.constantFrom(...CLIENT_TYPES).map((type) => type.toUpperCase()) },
    { weight: 1, arbitrary: fc.constantFrom('auth.ok', 'error', 'pty.output', 'ok', 'session.event') },
    { weight: 1, arbitrary: hostileValue },
  );
  return typeValue.chain((type) => {
    const sample = typeof type === 'string' ? samples[type] : undefined;
    const keys = typeof type === 'string' ? (FIELDS.get(type) ?? ['id']) : ['id', 'session'];
    const fields = keys.map((key) =>
      fc.option(
        fieldValue(key, sample?.[key], targets).map((value) => [key, value] as const),
        { freq: 8, nil: undefined }, // now and then a field goes missing
      ),
    );
    const extras = fc.array(
      fc.tuple(fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ maxLength: 12 })), hostileValue),
      { maxLength: 2 },
    );
    const extraChance = fc.nat({ max: 4 }); // most frames carry no extra field
    return fc
      .tuple(fc.tuple(...fields), extras, extraChance, fc.boolean())
      .map(([kept, added, chance, typeLast]) => {
        const entries = kept.filter((entry): entry is readonly [string, unknown] => entry !== undefined);
        const typeEntry = ['type', type] as const;
        const all = [
          ...(typeLast ? [] : [typeEntry]),
          ...entries,
          ...(chance === 0 ? added : []),
          ...(typeLast ? [typeEntry] : []),
        ];
        return objectText(all);
      });
  });
}

/** A frame cut short or with one character changed: what a broken client or a bit flip sends. */
const corrupted = (frames: fc.Arbitrary<string>) =>
  fc
    .tuple(frames, fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 }), fc.boolean())
    .map(([text, at, insert, cut]) => {
      const position = text.length === 0 ? 0 : at % text.length;
      return cut ? text.slice(0, position) : text.slice(0, position) + insert + text.slice(position + 1);
    });

/** Frames a few at a time would never build: nesting deep enough to test the parser, sizes near the cap. */
export function specialFrames(maxFrameChars: number = LIMITS.maxFrameChars): string[] {
  const depth = 100_000;
  return [
    '',
    ' ',
    'null',
    'true',
    '0',
    '"auth"',
    '[]',
    '[{"type":"auth","id":1,"token":"x"}]',
    '{}',
    '{"type":null}',
    '{"type":{"type":"auth"}}',
    '{"__proto__":{"type":"session.list"},"id":1}',
    '{"type":"session.list","id":1,"__proto__":{"polluted":true}}',
    '{"type":"constructor","id":1}',
    '{"type":"toString","id":1}',
    '{"type":"hasOwnProperty","id":1}',
    '{"type":"__proto__","id":1}',
    `{"type":"session.list","id":1,"nest":${'['.repeat(depth)}${']'.repeat(depth)}}`,
    `${'['.repeat(depth)}${']'.repeat(depth)}`,
    `${'{"a":'.repeat(depth / 10)}1${'}'.repeat(depth / 10)}`,
    `{"type":"session.list","id":2,"pad":"${'x'.repeat(maxFrameChars)}"}`, // just over the cap, id first
    `{"pad":"${'x'.repeat(maxFrameChars)}","type":"session.list","id":3}`, // just over the cap, id last
    `{"type":"session.screen","id":4,"session":"${'s'.repeat(maxFrameChars - 60)}"}`, // just under it
    `{"type":"auth","id":5,"token":"${'t'.repeat(maxFrameChars - 60)}"}`,
    `{"type":"${'u'.repeat(maxFrameChars - 20)}"}`,
    'x'.repeat(maxFrameChars + 1),
    '\ud800'.repeat(1000),
  ];
}

/** Any frame a hostile client could send: shaped, corrupted, random text, random JSON. */
export function hostileFrame(targets: Targets, options: { specials?: string[] } = {}): fc.Arbitrary<string> {
  const shaped = shapedFrame(targets);
  const pool: Array<fc.WeightedArbitrary<string>> = [
    { weight: 12, arbitrary: shaped },
    { weight: 2, arbitrary: corrupted(shaped) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 120 }) },
  ];
  if (options.specials && options.specials.length > 0)
    pool.push({ weight: 1, arbitrary: fc.constantFrom(...options.specials) });
  return fc.oneof(...pool);
}

/** Why `frame` (text from the hub) is not a well-formed hub message, or undefined when it is. */
export function malformedHubFrame(frame: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return `not JSON: ${frame.slice(0, 200)}`;
  }
  const parsed = HubMessageSchema.safeParse(value);
  if (!parsed.success)
    return `not a hub message (${parsed.error.issues[0]?.message}): ${frame.slice(0, 200)}`;
  const message: HubMessage = parsed.data;
  if (message.type === 'error' && !ErrorCodeSchema.options.includes(message.code))
    return `unknown error code ${message.code}`;
  return undefined;
}

/** SWITCHBOARD_FUZZ_SEED replays a failure (fast-check prints the seed); otherwise every run differs. */
export function fuzzRuns(numRuns: number): { numRuns: number; seed?: number } {
  const seed = process.env.SWITCHBOARD_FUZZ_SEED;
  return seed ? { numRuns, seed: Number(seed) } : { numRuns };
}

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
