// Ring 4, issue 13 items 5, 10 and 11: session actions from the sidebar and the pane (rename, kill behind a
// confirmation, an ended pane's Restart, duplicate), the task inspector's full history for a task that
// finished before the page opened, and the hub going away under the page and coming back on its port.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForScreen } from '../test/helpers.js';
import {
  browserMissing,
  launchChromium,
  ownerPage,
  screenshot,
  startUiHub,
  terminalText,
  type UiHub,
} from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] session action journeys skipped: ${missing}`);

let uiHub: UiHub;
let browser: Browser;
let page: Page;
let sessionId = '';

const pane = () => page.locator(`[data-pane="${sessionId}"]`);
const row = (name: string) => page.getByTestId(`session-${name}`);
/** The bell's unread count ("0" when it shows none). */
const unread = async () =>
  (await page.getByTestId('unread').count()) > 0 ? await page.getByTestId('unread').innerText() : '0';
const sessionNames = async () => (await uiHub.owner.listSessions()).map((session) => session.name).sort();

describe.skipIf(missing !== undefined)('session actions, task history, hub down (Chromium, real hub)', () => {
  beforeAll(async () => {
    uiHub = await startUiHub();
    const made = await uiHub.cli(
      'new',
      '--name',
      'ticker',
      '--cwd',
      uiHub.workspace,
      '--json',
      '--',
      'sh',
      '-c',
      'echo ticker-started; exec sleep 600',
    );
    expect(made.code, made.stderr).toBe(0);
    sessionId = (JSON.parse(made.stdout) as { id: string }).id;
    await waitForScreen(uiHub.owner, sessionId, 'ticker-started');
    browser = await launchChromium();
    ({ page } = await ownerPage(browser, uiHub, { width: 1280, height: 800 }));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await uiHub?.close();
  });

  it('renames from the row menu; kill asks first; the ended pane offers Restart / Close; restart and duplicate work', async () => {
    await row('ticker').click();
    await expect.poll(() => terminalText(page, sessionId), { timeout: 15_000 }).toContain('ticker-started');
    // The row has watch and a menu, no kill link beside watch.
    await expect.poll(() => row('ticker').getByRole('button', { name: 'kill' }).count()).toBe(0);

    await row('ticker').getByRole('button', { name: 'Actions for ticker' }).click();
    await page.getByTestId('session-menu').getByRole('menuitem', { name: 'Rename…' }).click();
    // A name against the rule gets the rule in words and a suggestion, not the wire's validation text.
    await page.getByLabel('New name').fill('my clock');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    const refused = page.getByTestId('session-menu').getByRole('alert');
    await expect(refused.innerText()).resolves.toBe(
      '"my clock" cannot name a session: use letters, digits, ".", "_" and "-", starting with a letter or ' +
        'digit, at most 64 characters (for example my-clock).',
    );
    expect(await sessionNames()).toEqual(['ticker']);
    await page.getByLabel('New name').fill('clock');
    await page.getByRole('button', { name: 'Rename', exact: true }).click();
    await row('clock').waitFor();
    expect(await sessionNames()).toEqual(['clock']);

    await row('clock').getByRole('button', { name: 'Actions for clock' }).click();
    await page.getByTestId('session-menu').getByRole('menuitem', { name: 'Kill…' }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Confirm kill' });
    await confirm.waitFor();
    await screenshot(page, 'session-actions-kill-confirm');
    // Nothing is killed until the confirmation.
    expect((await uiHub.owner.listSessions())[0]?.status).toBe('running');
    await confirm.getByRole('button', { name: 'Kill clock' }).click();

    const ended = pane().getByTestId('pane-ended');
    await ended.waitFor({ timeout: 10_000 });
    expect(await ended.innerText()).toMatch(/^Ended \((signal|exit code) \d+\)/);
    const bar = pane().getByTestId('attach-bar');
    for (const gone of ['Observe', 'Co-drive', '^C'])
      expect(await bar.getByRole('button', { name: gone, exact: true }).count(), gone).toBe(0);
    expect(await bar.getByRole('button', { name: 'Close', exact: true }).count()).toBe(1);
    await screenshot(page, 'session-actions-ended-pane');

    await bar.getByRole('button', { name: 'Restart', exact: true }).click();
    await ended.waitFor({ state: 'detached', timeout: 10_000 });
    await pane().getByRole('button', { name: 'Co-drive' }).waitFor();
    const [again] = await uiHub.owner.listSessions();
    expect(again).toMatchObject({ id: sessionId, name: 'clock', status: 'running' });
    await waitForScreen(uiHub.owner, sessionId, 'ticker-started');
    await expect.poll(() => terminalText(page, sessionId), { timeout: 10_000 }).toContain('ticker-started');

    await pane().getByRole('button', { name: 'Actions for clock' }).click();
    await page.getByTestId('session-menu').getByRole('menuitem', { name: 'Duplicate' }).click();
    await row('clock-2').waitFor();
    expect(await sessionNames()).toEqual(['clock', 'clock-2']);
    await screenshot(page, 'session-actions-after-duplicate');
  }, 60_000);

  it('the new-session dialog states the naming rule for a name against it, and starts nothing', async () => {
    const before = await sessionNames();
    await page.getByRole('button', { name: '+ New' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('x y');
    await dialog.getByRole('button', { name: 'Start session' }).click();
    await expect(dialog.getByRole('alert').innerText()).resolves.toContain(
      '"x y" cannot name a session: use letters, digits, ".", "_" and "-"',
    );
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await sessionNames()).toEqual(before);
  }, 30_000);

  it('shows the whole history of a task that finished before the page opened', async () => {
    const report = `CALL report_result ${JSON.stringify({ status: 'done', summary: 'history done' })}`;
    const { task } = await uiHub.owner.expect('task.result', {
      type: 'task.delegate',
      instructions: report,
      title: 'history',
      cwd: uiHub.workspace,
    });
    await expect
      .poll(
        async () =>
          (await uiHub.owner.expect('task.result', { type: 'task.get', task: task.id })).task.status,
        {
          timeout: 20_000,
        },
      )
      .toBe('done');
    const late = await ownerPage(browser, uiHub, { width: 1280, height: 800 });
    await late.page.getByRole('button', { name: 'Delegation graph' }).click();
    await late.page.getByTestId('edge-history').getByRole('button').first().click();
    const history = late.page.getByTestId('task-history');
    await expect.poll(() => history.locator('li').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(4);
    const text = await history.innerText();
    for (const status of ['queued', 'delivered', 'running', 'done']) expect(text).toContain(status);
    await screenshot(late.page, 'task-history-late-page');
    await late.context.close();
  }, 60_000);

  it('hub down: one banner, the last state greyed, no notices, panes not exited; it reconnects', async () => {
    await page
      .getByRole('button', { name: 'Terminals' })
      .click()
      .catch(() => undefined);
    const unreadBefore = await unread();
    const titleBefore = await page.title();
    await uiHub.restart(async () => {
      const banner = page.getByTestId('connection-banner');
      await expect
        .poll(() => banner.innerText().catch(() => ''), { timeout: 10_000 })
        .toBe('Hub unreachable, reconnecting…');
      // Stays one steady banner through several reconnect attempts (500 ms, 1 s, 2 s).
      await page.waitForTimeout(2500);
      expect(await page.getByTestId('connection-banner').count()).toBe(1);
      expect(await banner.innerText()).toBe('Hub unreachable, reconnecting…');
      expect(await page.locator('body').innerText()).not.toContain('Failed to fetch');
      expect(await page.locator('.app.hub-down').count()).toBe(1);
      // In words, not the socket state "closed".
      expect(await page.getByTestId('connection').innerText()).toBe('OFFLINE');
      // The last state stays: the sessions listed, not marked ended; the pane not exited.
      await row('clock').waitFor();
      expect(await row('clock').getAttribute('data-session')).toBe(sessionId);
      expect(await row('clock').locator('.session-status').innerText()).not.toBe('ended');
      expect(await pane().getByTestId('pane-ended').count()).toBe(0);
      expect(await pane().locator('.pane-status').first().innerText()).not.toContain('exited');
      expect(await unread()).toBe(unreadBefore);
      expect(await page.title()).toBe(titleBefore);
      await screenshot(page, 'hub-down-banner');
    });
    // Back on the same port: the banner goes, the page is live again and lists what the new hub has.
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 20_000 });
    expect(await page.locator('.app.hub-down').count()).toBe(0);
    await row('clock').waitFor();
    await screenshot(page, 'hub-down-recovered');
  }, 60_000);
});
