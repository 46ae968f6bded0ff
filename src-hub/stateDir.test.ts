// The state directory's location per platform, its permissions, and hub.json's.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultStateDir,
  ensureStateDir,
  isHubAlive,
  processStat,
  readHubFile,
  removeHubFile,
  writeHubFile,
} from './stateDir.js';
import { HUB_VERSION } from './version.js';

describe('state directory', () => {
  it('prefers SWITCHBOARD_HOME, else the platform data directory', () => {
    expect(defaultStateDir({ SWITCHBOARD_HOME: '/x/y' }, 'linux')).toBe('/x/y');
    expect(defaultStateDir({ XDG_DATA_HOME: '/data' }, 'linux')).toBe('/data/switchboard');
    expect(defaultStateDir({}, 'darwin')).toMatch(/Library\/Application Support\/Switchboard$/);
    expect(defaultStateDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain('Switchboard');
  });

  it('writes hub.json readable by its owner only, and removes it only for its own pid', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-state-'));
    try {
      writeHubFile(directory, { url: 'http://127.0.0.1:1', pid: process.pid, token: 'sbo_t' });
      expect(statSync(join(directory, 'hub.json')).mode & 0o777).toBe(0o600);
      expect(readHubFile(directory)).toMatchObject({
        url: 'http://127.0.0.1:1',
        pid: process.pid,
        token: 'sbo_t',
      });
      removeHubFile(directory, process.pid + 1);
      expect(readHubFile(directory)).toBeDefined();
      removeHubFile(directory);
      expect(readHubFile(directory)).toBeUndefined();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('issue 9: tightens a loose state directory to 0700, and refuses one it cannot chmod, saying what to do', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-state-'));
    try {
      chmodSync(directory, 0o755);
      ensureStateDir(directory);
      expect(statSync(directory).mode & 0o777).toBe(0o700);
      chmodSync(directory, 0o755);
      const notOurs = () => {
        throw Object.assign(new Error('EPERM: operation not permitted'), { code: 'EPERM' });
      };
      expect(() => ensureStateDir(directory, notOurs)).toThrow(
        expect.objectContaining({
          code: 'not_allowed',
          message: expect.stringMatching(/mode 755.*EPERM.*chmod 700 .*SWITCHBOARD_HOME/) as unknown,
        }),
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reports the version package.json declares', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(HUB_VERSION).toBe(pkg.version);
  });
});

describe('isHubAlive (issue 16: a restart right after SIGKILL was refused while the dead hub was unreaped)', () => {
  /** A zombie: `sh` forks a short sleep, then execs into a long one that never reaps it. */
  async function zombie(): Promise<{ pid: number; stop(): void }> {
    const parent = spawn('sh', ['-c', 'sleep 0.2 & echo $!; exec sleep 30'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const pid = await new Promise<number>((resolve) =>
      parent.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
    );
    for (let attempt = 0; attempt < 100 && processStat(pid)?.state !== 'Z'; attempt++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    return { pid, stop: () => parent.kill('SIGKILL') };
  }

  it('a running hub (this process, its own start time) is alive', () => {
    expect(isHubAlive({ pid: process.pid, pidStart: processStat(process.pid)!.startTime })).toBe(true);
    expect(isHubAlive({ pid: process.pid })).toBe(true);
  });

  it('a zombie is not', async () => {
    const dead = await zombie();
    try {
      expect(processStat(dead.pid)?.state).toBe('Z');
      expect(isHubAlive({ pid: dead.pid })).toBe(false);
    } finally {
      dead.stop();
    }
  });

  it('a later process that got the pid is not (its start time differs)', () => {
    const start = processStat(process.pid)!.startTime;
    expect(isHubAlive({ pid: process.pid, pidStart: String(Number(start) - 1) })).toBe(false);
  });

  it('a process that is gone is not', () => {
    const child = spawnSync('true');
    expect(isHubAlive({ pid: child.pid })).toBe(false);
  });

  it('hub.json records the start time of the hub that wrote it', () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-hubfile-'));
    try {
      writeHubFile(stateDir, { url: 'http://127.0.0.1:1', pid: process.pid, token: 't' });
      expect(readHubFile(stateDir)?.pidStart).toBe(processStat(process.pid)!.startTime);
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
