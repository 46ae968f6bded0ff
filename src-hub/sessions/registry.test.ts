// The registry on fake ptys: the cap on live sessions (issue 9), counted with sessions still starting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LIMITS, resolveLimits } from '../limits.js';
import { memoryLogger } from '../logger.js';
import type { PtyProcess } from './ptyHost.js';
import { Launchers, type CreateOptions } from './launcher.js';
import { SessionRegistry } from './registry.js';

class FakePty implements PtyProcess {
  readonly pid = 4242;
  private exitListener: (exit: { exitCode: number; signal: number | null }) => void = () => undefined;
  onData() {}
  onExit(listener: (exit: { exitCode: number; signal: number | null }) => void) {
    this.exitListener = listener;
  }
  write() {}
  resize() {}
  pause() {}
  resume() {}
  signal() {
    this.exitListener({ exitCode: 0, signal: 1 });
  }
}

let stateDir: string;
let registry: SessionRegistry;

const launchers = new Launchers();
launchers.register({
  runtime: 'local',
  // Preparing a launch takes a moment (a Claude session runs `claude --version` first).
  launch: async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { kind: 'command', command: 'sh', args: [], env: {} };
  },
});

beforeEach(() => {
  stateDir = mkdtempSync(join(tmpdir(), 'switchboard-registry-'));
  registry = new SessionRegistry({
    stateDir,
    spawn: () => new FakePty(),
    limits: { ...LIMITS, maxLiveSessions: 2, exitDrainMs: 0 },
    logger: memoryLogger(),
    now: () => Date.now(),
    baseEnv: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    launchers,
    createWorktree: () => Promise.reject(new Error('no worktrees here')),
  });
});

afterEach(async () => {
  await registry.closeAll();
  rmSync(stateDir, { recursive: true, force: true });
});

const create = (options: CreateOptions = {}) => registry.create({ cwd: stateDir, ...options });

describe('issue 9: the cap on live sessions', () => {
  it('refuses a session past the cap with session_limit, saying the limit and how to raise it or free one', async () => {
    const first = await create();
    await create();
    const refused = create();
    await expect(refused).rejects.toMatchObject({
      code: 'session_limit',
      message: expect.stringMatching(
        /2 sessions are running.*switchboard kill.*--max-sessions.*SWITCHBOARD_MAX_SESSIONS/,
      ) as unknown,
    });
    expect(registry.list()).toHaveLength(2);
    // An ended session no longer counts.
    await first.kill();
    await expect(create()).resolves.toBeDefined();
  });

  it('counts sessions that are still starting: three created at once with a cap of two start two', async () => {
    const results = await Promise.allSettled([create(), create(), create()]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((result) => result.status === 'rejected')).toMatchObject([
      { reason: { code: 'session_limit' } },
    ]);
  });

  it('lets a session the hub resumes after a restart start, even at the cap (it was running before)', async () => {
    await create();
    await create();
    const resumed = await create({
      resumes: { id: 'old-session', transcript: false, worktree: null },
    });
    expect(resumed.id).toBe('old-session');
  });
});

describe('records of the last run', () => {
  it('a restored record holds its id until a late-adopted worker with that id replaces it', async () => {
    const live = await create({ name: 'w' });
    const saved = {
      info: { ...live.info(), id: 'worker-id', name: 'w' },
      screen: 'old screen',
      savedAt: '2020-01-01T00:00:00.000Z',
    };
    const record = await registry.restore(saved);
    expect(record).toMatchObject({ restored: true, isEnded: true, name: 'w-ended-1' });
    expect(await registry.restore(saved)).toBeUndefined(); // listed once
    const adopted = registry.adopt({ ...live.spec, id: 'worker-id', name: 'w-ended-1' }, () => new FakePty());
    expect(registry.find('worker-id')).toBe(adopted);
    expect(adopted).toMatchObject({ restored: false, isEnded: false, name: 'w-ended-1' });
  });
});

describe('launchers', () => {
  it('refuses a session for a runtime the hub has no launcher for, with not_allowed', async () => {
    await expect(create({ docker: {} })).rejects.toMatchObject({
      code: 'not_allowed',
      message: 'This hub runs no docker sessions.',
    });
    expect(registry.list()).toEqual([]);
  });
});

describe('resolveLimits', () => {
  it('takes SWITCHBOARD_MAX_SESSIONS, and values given in code over it', () => {
    expect(resolveLimits({}, {}).maxLiveSessions).toBe(LIMITS.maxLiveSessions);
    expect(resolveLimits({}, { SWITCHBOARD_MAX_SESSIONS: '8' }).maxLiveSessions).toBe(8);
    expect(resolveLimits({ maxLiveSessions: 3 }, { SWITCHBOARD_MAX_SESSIONS: '8' }).maxLiveSessions).toBe(3);
    expect(() => resolveLimits({}, { SWITCHBOARD_MAX_SESSIONS: 'lots' })).toThrow(
      /SWITCHBOARD_MAX_SESSIONS must be a whole number of at least 1/,
    );
  });
});
