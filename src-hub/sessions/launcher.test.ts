// The launchers without processes: the local one (a command, or Claude with the launch profile) and the
// Docker one's refusals, and the one place a session's runtime is chosen (issue 14).
import { describe, expect, it } from 'vitest';
import { resolveAgentConfig } from '../agents/config.js';
import { LocalLauncher } from '../agents/localLauncher.js';
import { profileFor } from '../agents/version.js';
import { DockerLauncher } from '../workers/dockerLauncher.js';
import { Launchers, runtimeOf, type Launch } from './launcher.js';

const local = (hubUrl: string | undefined) =>
  new LocalLauncher({
    agent: resolveAgentConfig({ binary: 'claude' }, {}),
    baseEnv: {},
    versions: { detect: () => Promise.resolve({ version: '2.1.200', profile: profileFor('2.1.200') }) },
    credentials: { issue: (id) => `token-for-${id}` },
    hubUrl: () => hubUrl,
  });

describe('runtimeOf and Launchers', () => {
  it('chooses the Docker runtime when `docker` is given, else the local one', () => {
    expect(runtimeOf({})).toBe('local');
    expect(runtimeOf({ docker: {} })).toBe('docker');
    expect(runtimeOf({ kubernetes: {} })).toBe('kubernetes');
    const launchers = new Launchers();
    const launcher = local('http://127.0.0.1:1');
    launchers.register(launcher);
    expect(launchers.for({ command: 'sh' })).toBe(launcher);
    expect(() => launchers.for({ docker: {} })).toThrow(expect.objectContaining({ code: 'not_allowed' }));
    expect(() => launchers.for({ docker: {}, kubernetes: {} })).toThrow(
      expect.objectContaining({ code: 'invalid_message' }),
    );
  });
});

describe('LocalLauncher', () => {
  it('runs a command as given, even before the hub listens', async () => {
    const launch = await local(undefined).launch({ command: 'sh', args: ['-c', 'true'] }, 'id-1');
    expect(launch).toEqual({ kind: 'command', command: 'sh', args: ['-c', 'true'], env: {} });
  });

  it('refuses a Claude session before the hub listens (it needs the hook and MCP endpoints)', async () => {
    await expect(local(undefined).launch({}, 'id-1')).rejects.toMatchObject({ code: 'not_allowed' });
  });

  it("starts Claude with the session's own token and the options' environment", async () => {
    const launch = await local('http://127.0.0.1:1').launch({ env: { EXTRA: '1' } }, 'id-1');
    expect(launch).toMatchObject({ kind: 'claude', command: 'claude', env: { EXTRA: '1' } });
    expect(JSON.stringify(launch)).toContain('token-for-id-1');
  });
});

describe('DockerLauncher', () => {
  const launched: Launch = { kind: 'claude', command: 'claude', args: [], env: {} };
  const workers = { launch: () => Promise.resolve(launched) };

  it('refuses a command: a worker runs Claude Code', async () => {
    await expect(
      new DockerLauncher(workers, () => 'http://hub').launch({ docker: {}, command: 'sh' }, 'w'),
    ).rejects.toMatchObject({ code: 'invalid_message' });
  });

  it('refuses a worker before the hub listens, and hands the URL to the runtime once it does', async () => {
    await expect(
      new DockerLauncher(workers, () => undefined).launch({ docker: {} }, 'w'),
    ).rejects.toMatchObject({
      code: 'not_allowed',
    });
    await expect(new DockerLauncher(workers, () => 'http://hub').launch({ docker: {} }, 'w')).resolves.toBe(
      launched,
    );
  });
});
