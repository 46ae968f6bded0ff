// Issue 11, ring 4: a dialog on a Claude session's screen (Claude Code's Bash permission menu, drawn by
// e2e/fixtures/menu-claude.mjs) is an inbox item with the menu's own choices; the owner picks one in the
// Inbox panel with its number key, and the hub walks the menu in the session's terminal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import type { HubClient, InboxChanged, InboxItem } from '../src-protocol/index.js';
import { waitForScreen } from '../test/helpers.js';
import { browserMissing, launchChromium, screenshot, WEB_UI_DIR } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] inbox dialog journey skipped: ${missing}`);

const MENU_CLAUDE = join(import.meta.dirname, 'fixtures', 'menu-claude.mjs');
let stateDir: string;
let workspace: string;
let hub: Hub;
let owner: HubClient;
let browser: Browser;
const changes: InboxChanged[] = [];

describe.skipIf(missing !== undefined)(
  'a screen dialog answered from the Inbox panel (Chromium, real hub)',
  () => {
    beforeAll(async () => {
      stateDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-dialog-'));
      workspace = mkdtempSync(join(tmpdir(), 'switchboard-e2e-dialog-repo-'));
      hub = createHub({
        stateDir,
        logger: memoryLogger(),
        webUiDir: WEB_UI_DIR,
        claude: { binary: MENU_CLAUDE },
      });
      await hub.listen({ port: 0, writeHubFile: false });
      owner = await hub.connect();
      owner.onMessage((message) => message.type === 'inbox.changed' && void changes.push(message));
      browser = await launchChromium();
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      owner?.close();
      await hub?.close();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    });

    it('the menu is an item with its own choices; the key 2 chooses the second, typed into the terminal', async () => {
      const session = await owner.createSession({ name: 'deployer', cwd: workspace });
      let item: InboxItem | undefined;
      await expect
        .poll(
          () =>
            (item = changes.find(
              (change) => change.item.session === session.id && change.item.kind === 'dialog',
            )?.item),
          { timeout: 20_000 },
        )
        .toBeDefined();
      expect(item!.choices?.map((choice) => choice.label)).toEqual([
        'Yes',
        "Yes, and don't ask again for make commands in this folder",
        'No, and tell Claude what to do differently (esc)',
      ]);

      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        await page.goto(`${hub.url}${hub.createLoginPath().replace('#', '?webgl=0#')}`);
        await page.locator('.topbar').waitFor();
        await expect.poll(() => page.getByTestId('inbox-count').innerText()).toBe('1');
        await page.keyboard.press('Control+Shift+X');
        const row = page.locator('[data-testid="inbox-item"][aria-selected="true"]');
        await expect.poll(() => row.getAttribute('data-kind')).toBe('dialog');
        expect(await row.getByRole('group', { name: 'Choices' }).innerText()).toContain('2 Yes, and don');
        await screenshot(page, 'inbox-09-dialog-choices');
        await page.keyboard.press('2');
        await waitForScreen(owner, session.id, "CHOSE Yes, and don't ask again for make commands", 15_000);
        await expect
          .poll(
            () => changes.find((change) => change.item.id === item!.id && change.kind === 'removed')?.reason,
          )
          .toBe('answered');
        await expect.poll(() => page.getByTestId('inbox-item').count()).toBe(0);
      } finally {
        await context.close();
      }
    }, 60_000);
  },
);
