// Container decisions: a worker cannot mount what lies outside its repository (symbolic links included),
// the create options carry TTY, labels, limits and network, and an exit says why it happened.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveWorkerSettings } from './config.js';
import { checkWorkspaceAccess, containerOptions, exitReason, repositoryWithin } from './container.js';
import type { WorkerRecord } from './labels.js';

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

const record: WorkerRecord = {
  session: '11111111-2222-3333-4444-555555555555',
  name: 'worker-1',
  container: 'abcdef0123456789',
  image: 'switchboard-worker:latest',
  repo: '/src/app',
  root: '11111111-2222-3333-4444-555555555555',
  parent: null,
  depth: 1,
  task: null,
  ordinal: 1,
  deadlineAt: Date.parse('2026-11-26T06:00:00Z'),
  tokenHash: 'f'.repeat(64),
  cols: 100,
  rows: 30,
};

describe('repositoryWithin', () => {
  it('maps /workspace paths to the host repository and refuses paths outside it, links included', () => {
    const repo = mkdtempSync(join(tmpdir(), 'switchboard-within-'));
    directories.push(repo);
    mkdirSync(join(repo, 'packages', 'api'), { recursive: true });
    symlinkSync('/', join(repo, 'escape'));
    expect(repositoryWithin(repo, '/workspace/packages/api')).toBe(join(repo, 'packages', 'api'));
    expect(repositoryWithin(repo, 'packages')).toBe(join(repo, 'packages'));
    expect(() => repositoryWithin(repo, '/workspace/escape')).toThrow(/only in its own repository/);
    expect(() => repositoryWithin(repo, '/etc')).toThrow(/only in its own repository/);
    expect(() => repositoryWithin(repo, '/workspace/missing')).toThrow(/does not exist/);
  });
});

describe('containerOptions', () => {
  it('gives the container a TTY with open stdin, the labels, the limits and the network mode', () => {
    const settings = resolveWorkerSettings({ cpus: 1.5, memoryBytes: 1024 ** 3, networkMode: 'host' }, {});
    const options = containerOptions({
      hubId: 'hub-1',
      record,
      command: ['claude', '--session-id', record.session],
      env: { SWITCHBOARD_SESSION_TOKEN: 'sbs_x' },
      user: '1000:1000',
      settings,
    });
    expect(options).toMatchObject({
      Tty: true,
      OpenStdin: true,
      StdinOnce: false,
      User: '1000:1000',
      WorkingDir: '/workspace',
      Env: ['SWITCHBOARD_SESSION_TOKEN=sbs_x'],
      Labels: { 'switchboard.hub': 'hub-1', 'switchboard.session': record.session, 'switchboard.depth': '1' },
      HostConfig: { NetworkMode: 'host', Binds: ['/src/app:/workspace'], NanoCpus: 1.5e9, Memory: 1024 ** 3 },
    });
  });

  it('copies instead of mounting in copy mode, and mounts extras read-only', () => {
    const settings = resolveWorkerSettings(
      {
        workspace: 'copy',
        mounts: [{ source: '/opt/claude', target: '/usr/local/bin/claude', readOnly: true }],
      },
      {},
    );
    const options = containerOptions({
      hubId: 'h',
      record,
      command: ['claude'],
      env: {},
      user: undefined,
      settings,
    });
    expect(options.HostConfig?.Binds).toEqual(['/opt/claude:/usr/local/bin/claude:ro']);
    expect(options.User).toBeUndefined();
  });
});

describe('exitReason', () => {
  it('names a kill from outside, a signal, and running out of memory', () => {
    expect(exitReason(record, 137, { OOMKilled: false }, 0)).toMatch(
      /exit status 137 \(SIGKILL from outside/,
    );
    expect(exitReason(record, 143, undefined, 0)).toMatch(/exit status 143 \(SIGTERM\)/);
    expect(exitReason(record, 137, { OOMKilled: true }, 2048)).toMatch(
      /ran out of memory \(limit 2048 bytes\)/,
    );
  });
});

describe('checkWorkspaceAccess', () => {
  const repo = (mode: number, owner: number) => {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-access-'));
    chmodSync(directory, mode);
    chownSync(directory, owner, owner);
    directories.push(directory);
    return directory;
  };

  it('lets a worker that owns the repository in; refuses one that could only read it, and says so', () => {
    expect(() => checkWorkspaceAccess(repo(0o755, 10001), { uid: 10001, gid: 10001 })).not.toThrow();
    expect(() => checkWorkspaceAccess(repo(0o755, 0), { uid: 10001, gid: 10001 })).toThrow(/cannot write to/);
    expect(() => checkWorkspaceAccess(repo(0o700, 0), { uid: 10001, gid: 10001 })).toThrow(/cannot read/);
    expect(() => checkWorkspaceAccess(repo(0o777, 0), { uid: 10001, gid: 10001 })).not.toThrow();
  });
});
