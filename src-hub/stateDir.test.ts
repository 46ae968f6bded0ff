// The state directory's location per platform, its permissions, and hub.json's.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultStateDir, ensureStateDir, readHubFile, removeHubFile, writeHubFile } from './stateDir.js';
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
      expect(readHubFile(directory)).toEqual({ url: 'http://127.0.0.1:1', pid: process.pid, token: 'sbo_t' });
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
