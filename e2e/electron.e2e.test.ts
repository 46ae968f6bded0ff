// Ring 5: the same journeys in the desktop app through Playwright's `_electron`, where an Electron binary
// exists. These machines cannot download it (ELECTRON_SKIP_BINARY_DOWNLOAD=1), so here the project skips and
// says why; the Electron-only logic is covered by unit tests on fakes in src-main/.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Found like the electron package finds it, without requiring it (that would start a download). */
function electronBinary(): { path: string } | { missing: string } {
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile))
    return { missing: 'no Electron binary is installed (ELECTRON_SKIP_BINARY_DOWNLOAD=1)' };
  const binary = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { missing: `the Electron binary ${binary} is missing` };
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js')))
    return { missing: 'the desktop app is not built (npm run build:desktop)' };
  return { path: binary };
}

const found = electronBinary();
if ('missing' in found) console.log(`[e2e:_electron] skipped: ${found.missing}`);

describe.skipIf('missing' in found)('desktop app journeys (_electron)', () => {
  it('starts, embeds the hub, and creates a session from the UI over IPC', async () => {
    const home = mkdtempSync(join(tmpdir(), 'switchboard-electron-'));
    const app = await electron.launch({
      executablePath: (found as { path: string }).path,
      args: [join(ROOT, 'out', 'main', 'index.js')],
      env: {
        ...process.env,
        SWITCHBOARD_HOME: home,
        SWITCHBOARD_CLAUDE_BIN: join(ROOT, 'test', 'fixtures', 'fake-claude.mjs'),
      },
    });
    try {
      const page = await app.firstWindow();
      await page.locator('.topbar').waitFor();
      expect(
        await page.evaluate(() =>
          Boolean((window as { switchboard?: { desktop: boolean } }).switchboard?.desktop),
        ),
      ).toBe(true);
      await page.getByRole('button', { name: '+ New' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('Name').fill('desktop-made');
      await dialog.getByLabel('First prompt').fill('hello from the desktop');
      await dialog.getByRole('button', { name: 'Start session' }).click();
      await expect
        .poll(() => page.locator('.xterm-rows').first().innerText(), { timeout: 15_000 })
        .toContain('echo: hello from the desktop');
    } finally {
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  }, 60_000);
});
