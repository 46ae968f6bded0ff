// Every message schema round-trips through JSON, and malformed frames give stable error codes.
import { describe, expect, it } from 'vitest';
import {
  describeIssues,
  FrameError,
  HubMessageSchema,
  parseClientMessage,
  parseHubMessage,
  type ClientMessage,
  type ClientMessageType,
  type HubMessage,
  type HubMessageType,
  type HubNotice,
  type InboxItem,
  type SessionInfo,
  type TaskInfo,
} from './index.js';

const info: SessionInfo = {
  id: '8d3c1f3e-3b7a-4c39-a8a2-9d2f0f1b2c3d',
  name: 'api',
  kind: 'claude',
  cwd: '/repo',
  command: '/usr/bin/bash',
  args: ['-l'],
  status: 'running',
  pid: 4242,
  cols: 120,
  rows: 32,
  createdAt: '2026-11-26T04:00:00.000Z',
  endedAt: null,
  exitCode: null,
  signal: null,
  clients: 2,
  leaseHolder: 'c-0123456789',
  worktree: {
    repo: '/repo',
    path: '/state/worktrees/repo-1234/switchboard-api',
    branch: 'switchboard/api',
    dirty: 2,
  },
};

/** One sample per client message type: the `satisfies` makes a new type without a sample a type error. */
const clientSamples = {
  auth: { type: 'auth', id: 1, token: 'sbo_secret', client: 'cli' },
  'invite.create': { type: 'invite.create', id: 2, role: 'observer', session: 'api', ttlSeconds: 600 },
  'session.list': { type: 'session.list', id: 3 },
  'session.create': {
    type: 'session.create',
    id: 'r4',
    name: 'api',
    cwd: '/repo',
    command: 'bash',
    args: ['-l'],
    env: { FOO: 'bar' },
    cols: 100,
    rows: 30,
  },
  'session.kill': { type: 'session.kill', id: 5, session: 'api' },
  'session.remove': { type: 'session.remove', id: 6, session: 'api' },
  'session.screen': { type: 'session.screen', id: 7, session: 'api' },
  attach: { type: 'attach', id: 8, session: 'api', mode: 'observe' },
  detach: { type: 'detach', id: 9, session: 'api' },
  'pty.ack': { type: 'pty.ack', session: 'api', chars: 4096 },
  'pty.input': { type: 'pty.input', id: 10, session: 'api', data: 'ls\r' },
  'pty.interrupt': { type: 'pty.interrupt', id: 11, session: 'api' },
  'pty.resize': { type: 'pty.resize', id: 12, session: 'api', cols: 80, rows: 24 },
  'lease.request': { type: 'lease.request', id: 13, session: 'api' },
  'lease.release': { type: 'lease.release', id: 14, session: 'api' },
  'lease.grant': { type: 'lease.grant', id: 15, session: 'api', clientId: 'c-1' },
  'lease.take': { type: 'lease.take', id: 16, session: 'api' },
  'task.delegate': {
    type: 'task.delegate',
    id: 17,
    instructions: 'Fix the flaky test',
    title: 'flaky',
    cwd: '/repo2',
    waitSeconds: 30,
  },
  'task.list': { type: 'task.list', id: 18 },
  'task.get': { type: 'task.get', id: 19, task: 'abcd1234', waitSeconds: 5 },
  'task.cancel': { type: 'task.cancel', id: 20, task: 'abcd1234' },
  'task.reroute': { type: 'task.reroute', id: 29, task: 'abcd1234', to: 'web' },
  'task.retry': { type: 'task.retry', id: 30, task: 'abcd1234', cwd: '/repo2', worktree: true, force: true },
  'worktree.merge': { type: 'worktree.merge', id: 21, task: 'abcd1234', mode: 'rebase', force: false },
  'login.create': { type: 'login.create', id: 22 },
  'invite.list': { type: 'invite.list', id: 23 },
  'invite.revoke': { type: 'invite.revoke', id: 24, invite: 'ab12cd34' },
  'client.kick': { type: 'client.kick', id: 25, clientId: 'c-1' },
  'join.decide': { type: 'join.decide', id: 26, request: 'j-1', allow: true },
  'lan.set': { type: 'lan.set', id: 27, on: true, bind: '192.0.2.1', port: 7318 },
  'session.activity': { type: 'session.activity', id: 28, session: 'api', limit: 50 },
  'inbox.list': { type: 'inbox.list', id: 29 },
  'inbox.answer': {
    type: 'inbox.answer',
    id: 30,
    item: 'in-1a2b3c',
    answer: { action: 'deny', message: 'Use the test runner instead.' },
  },
  'notice.list': { type: 'notice.list', id: 31, limit: 20 },
  'notice.read': { type: 'notice.read', id: 32, upTo: 7 },
  'session.rename': { type: 'session.rename', id: 31, session: 'api', name: 'api-tests' },
  'session.restart': { type: 'session.restart', id: 32, session: 'api' },
  'session.duplicate': { type: 'session.duplicate', id: 33, session: 'api', name: 'api-2' },
  'task.history': { type: 'task.history', id: 34, task: 'a1b2c3d4' },
} satisfies { [T in ClientMessageType]: Extract<ClientMessage, { type: T }> };

const notice: HubNotice = {
  id: 7,
  kind: 'task',
  title: 'Task done: Fix the build',
  body: 'owner → api',
  session: 'a1b2c3d4-0000-4000-8000-000000000002',
  task: 'a1b2c3d4-0000-4000-8000-000000000001',
  status: 'done',
  at: '2026-11-26T04:00:00.000Z',
};

const inboxItem: InboxItem = {
  id: 'in-1a2b3c',
  kind: 'permission',
  session: 'a1b2c3d4-0000-4000-8000-000000000002',
  sessionName: 'api',
  title: 'Bash: npm test',
  tool: 'Bash',
  input: { command: 'npm test', description: 'Run the tests' },
  suggestions: ['allow Bash(npm test)'],
  task: { id: 'a1b2c3d4-0000-4000-8000-000000000001', title: 'Fix the build' },
  chain: [{ session: null, name: 'owner', task: 'a1b2c3d4-0000-4000-8000-000000000001' }],
  since: '2026-11-26T04:00:00.000Z',
  expiresAt: '2026-11-26T04:10:00.000Z',
  readOnly: false,
};

const task: TaskInfo = {
  id: 'a1b2c3d4-0000-4000-8000-000000000001',
  parentId: null,
  fromSession: info.id,
  fromName: 'api',
  toSession: 'b1b2c3d4-0000-4000-8000-000000000002',
  toName: 'web',
  title: 'flaky',
  instructions: 'Fix the flaky test',
  status: 'done',
  result: {
    status: 'done',
    summary: 'Fixed a race in setup.',
    details: 'see commit',
    diff: { branch: 'switchboard/web', files: 2, insertions: 10, deletions: 3 },
  },
  createdAt: '2026-11-26T04:00:00.000Z',
  updatedAt: '2026-11-26T04:05:00.000Z',
  deadlineAt: '2026-11-26T05:00:00.000Z',
};

const hubSamples = {
  'auth.ok': { type: 'auth.ok', replyTo: 1, clientId: 'c-1', role: 'owner', hubVersion: '0.1.0' },
  'invite.created': {
    type: 'invite.created',
    replyTo: 2,
    id: 'ab12cd34',
    token: 'sbi_x',
    link: 'https://192.0.2.1:7318/ui/#invite=sbi_x&fp=' + 'a'.repeat(64),
    lan: true,
    role: 'driver',
    session: info.id,
    name: 'Ada',
    approve: false,
    expiresAt: '2026-11-26T05:00:00.000Z',
  },
  ok: { type: 'ok', replyTo: 3 },
  error: { type: 'error', replyTo: 4, code: 'lease_held', message: 'Another participant holds the lease.' },
  'session.list.result': { type: 'session.list.result', replyTo: 5, sessions: [info] },
  'session.created': { type: 'session.created', replyTo: 6, session: info },
  'session.screen.result': {
    type: 'session.screen.result',
    replyTo: 7,
    session: info.id,
    screen: { cols: 80, rows: 2, cursor: { x: 1, y: 0 }, lines: ['$', ''] },
  },
  'session.event': { type: 'session.event', kind: 'updated', session: info },
  'pty.snapshot': {
    type: 'pty.snapshot',
    replyTo: 8,
    session: info.id,
    role: 'observer',
    offset: 10,
    cols: 80,
    rows: 24,
    data: '\x1b[1mhi',
  },
  'pty.output': { type: 'pty.output', session: info.id, offset: 10, data: 'héllo ✓ 🎉' },
  'pty.resized': { type: 'pty.resized', session: info.id, offset: 20, cols: 100, rows: 40 },
  'pty.resync': { type: 'pty.resync', session: info.id, reason: 'credit_exhausted' },
  'pty.exit': { type: 'pty.exit', session: info.id, exitCode: 0, signal: null },
  'lease.changed': {
    type: 'lease.changed',
    session: info.id,
    holder: 'c-1',
    pending: ['c-2'],
    reason: 'requested',
  },
  'task.result': { type: 'task.result', replyTo: 9, task },
  'task.list.result': {
    type: 'task.list.result',
    replyTo: 10,
    tasks: [task, { ...task, status: 'queued', result: null }],
  },
  'task.event': { type: 'task.event', task },
  'task.retry.result': {
    type: 'task.retry.result',
    replyTo: 11,
    task: {
      ...task,
      id: 'a1b2c3d4-0000-4000-8000-000000000003',
      status: 'queued',
      result: null,
      retryOf: task.id,
      retriedAs: null,
      history: [
        {
          at: '2026-11-26T04:06:00.000Z',
          kind: 'retry',
          by: 'owner',
          task: task.id,
          text: 'a copy of a1b2c3d4 (done on web), sent by owner',
        },
      ],
    },
    original: {
      ...task,
      retriedAs: 'a1b2c3d4-0000-4000-8000-000000000003',
      history: [
        {
          at: '2026-11-26T04:01:00.000Z',
          kind: 'rerouted',
          by: 'owner',
          text: 're-routed from api2 to web by owner',
          fromSession: 'c1b2c3d4-0000-4000-8000-000000000004',
          toSession: 'b1b2c3d4-0000-4000-8000-000000000002',
        },
      ],
    },
  },
  'session.presence': {
    type: 'session.presence',
    session: info.id,
    clients: [
      { clientId: 'c-1', role: 'owner', client: 'web' },
      { clientId: 'c-2', role: 'observer', client: 'cli' },
    ],
  },
  'login.created': {
    type: 'login.created',
    replyTo: 11,
    ticket: 'sbl_x',
    path: '/ui/#login=sbl_x',
    expiresAt: '2026-11-26T04:01:00.000Z',
  },
  'worktree.merge.result': {
    type: 'worktree.merge.result',
    replyTo: 11,
    outcome: 'conflict',
    branch: 'switchboard/api',
    conflicts: ['src/a.ts'],
    message: 'Conflict merging switchboard/api into main in src/a.ts; nothing was changed.',
  },
  'invite.list.result': {
    type: 'invite.list.result',
    replyTo: 12,
    invites: [
      {
        id: 'ab12cd34',
        name: 'Ada',
        role: 'observer',
        session: null,
        expiresAt: '2026-11-26T05:00:00.000Z',
        approve: true,
        uses: 2,
        clients: [{ clientId: 'c-2', address: '192.0.2.2', client: 'join' }],
      },
    ],
    joinRequests: [
      {
        id: 'j-1',
        invite: 'ab12cd34',
        name: 'Ada',
        role: 'observer',
        address: '192.0.2.2',
        expiresAt: '2026-11-26T04:02:00.000Z',
      },
    ],
  },
  'invite.revoked': { type: 'invite.revoked', replyTo: 13, id: 'ab12cd34', disconnected: 1 },
  'join.event': {
    type: 'join.event',
    kind: 'pending',
    request: {
      id: 'j-1',
      invite: 'ab12cd34',
      name: 'Ada',
      role: 'driver',
      address: '192.0.2.2',
      expiresAt: '2026-11-26T04:02:00.000Z',
    },
  },
  'session.activity.result': {
    type: 'session.activity.result',
    replyTo: 15,
    session: info.id,
    events: [
      {
        at: '2026-11-26T04:00:00.000Z',
        kind: 'session.input',
        data: { client: 'c-2', name: 'Bob', credential: 'invite:ab12cd34', chars: 3 },
      },
    ],
  },
  'lan.state': {
    type: 'lan.state',
    replyTo: 14,
    lan: { url: 'https://192.0.2.1:7318', fingerprint: 'a'.repeat(64) },
  },
  'connection.closing': {
    type: 'connection.closing',
    reason: 'revoked',
    message: "The hub's owner revoked the invite you joined with.",
  },
  'inbox.items': { type: 'inbox.items', replyTo: 16, items: [inboxItem] },
  'inbox.answered': {
    type: 'inbox.answered',
    replyTo: 17,
    item: inboxItem.id,
    message: 'Allowed Bash once after 3 s.',
  },
  'inbox.changed': {
    type: 'inbox.changed',
    kind: 'removed',
    item: inboxItem,
    reason: 'answered',
    answeredBy: { name: 'Bob', role: 'driver', client: 'browser', address: '192.0.2.7' },
  },
  'notice.list.result': { type: 'notice.list.result', replyTo: 18, notices: [notice], readUpTo: 6 },
  'notice.event': { type: 'notice.event', kind: 'added', notice, readUpTo: 6 },
  'task.history.result': {
    type: 'task.history.result',
    replyTo: 34,
    task: task.id,
    steps: [
      { at: '2026-11-26T04:00:00.000Z', status: 'queued' },
      { at: '2026-11-26T04:05:00.000Z', status: 'done' },
    ],
  },
} satisfies { [T in HubMessageType]: Extract<HubMessage, { type: T }> };

describe('message schemas', () => {
  it.each(Object.entries(clientSamples))('client message %s round-trips', (_type, sample) => {
    expect(parseClientMessage(JSON.stringify(sample))).toEqual(sample);
  });

  it.each(Object.entries(hubSamples))('hub message %s round-trips', (_type, sample) => {
    expect(parseHubMessage(JSON.stringify(sample))).toEqual(sample);
    expect(HubMessageSchema.parse(sample)).toEqual(sample);
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
