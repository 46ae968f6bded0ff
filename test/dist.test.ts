// `npm run dist`: packages the desktop app from the installed Electron binary, and where there is none says
// so and stops before building anything.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function runDist(
  root: string,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, 'scripts', 'dist.mjs'), ...args],
      { cwd: root, timeout: 20_000, env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: '' } },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** A checkout with only the scripts, and an Electron package as the installer leaves it (or without binary). */
function fakeCheckout(withBinary: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'sb-dist-'));
  temps.push(root);
  cpSync(join(ROOT, 'scripts'), join(root, 'scripts'), { recursive: true });
  const electron = join(root, 'node_modules', 'electron');
  mkdirSync(join(electron, 'dist'), { recursive: true });
  writeFileSync(join(electron, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
  if (withBinary) {
    writeFileSync(join(electron, 'path.txt'), 'electron');
    writeFileSync(join(electron, 'dist', 'electron'), '');
  }
  return root;
}

describe('npm run dist', () => {
  it('says that no Electron binary is installed and stops before building', async () => {
    const root = fakeCheckout(false);
    const result = await runDist(root);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Nothing packaged: no Electron binary is installed');
    expect(result.stdout).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(result.stdout).not.toContain('build:desktop');
    expect(existsSync(join(root, 'release'))).toBe(false);
  });

  it('packages the platform targets from the installed binary, without downloading Electron', async () => {
    const root = fakeCheckout(true);
    const result = await runDist(root, ['--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('$ npm run build:desktop');
    const builder = result.stdout.split('\n').find((line) => line.includes('electron-builder'));
    expect(builder).toBeDefined();
    if (process.platform === 'linux') expect(builder).toContain('--linux AppImage deb');
    expect(builder).toContain(`-c.electronDist=${join(root, 'node_modules', 'electron', 'dist')}`);
    expect(builder).toContain('-c.electronVersion=45.5.0');
    expect(builder).toContain('--publish never');
  });

  it('is a pinned devDependency whose configuration names the icon in assets/', async () => {
    const pkg = (await import('../package.json', { with: { type: 'json' } })).default as {
      devDependencies: Record<string, string>;
      scripts: Record<string, string>;
    };
    expect(pkg.devDependencies['electron-builder']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(pkg.scripts.dist).toBe('node scripts/dist.mjs');
    expect(existsSync(join(ROOT, 'assets', 'icon.png'))).toBe(true);
    expect(existsSync(join(ROOT, 'node_modules', 'electron-builder', 'cli.js'))).toBe(true);
  });
});
