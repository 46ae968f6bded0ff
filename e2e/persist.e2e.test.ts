// Ring 4, issue 13 item 3: a window's arrangement (tabs, grid, which pane shows which session, each pane's
// mode) comes back after F5, and notices are the hub's: a task that ends while no page is open shows as
// unread in the next page, and once read stays read after a reload. A real hub with the fake Claude agent.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../test/helpers.js';
import { browserMissing, launchChromium, ownerPage, screenshot, startUiHub, type UiHub } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] persistence journeys skipped: ${missing}`);

let uiHub: UiHub;
let browser: Browser;
let context: BrowserContext;
let page: Page;

/** What the user sees of the arrangement: tab order, the grid, which slot shows which pane, modes. */
function arrangement(target: Page) {
  return target.evaluate(() => ({
    tabs: [...document.querySelectorAll('nav.tabs [data-testid^="tab-"]')].map((tab) =>
      tab.getAttribute('data-testid'),
    ),
    grid: document.querySelector('.grid')?.className ?? '',
    slots: [...document.querySelectorAll<HTMLElement>('section.pane[data-pane]:not(.offscreen)')]
      .map((pane) => ({
        area: pane.style.gridArea,
        name: pane.querySelector('.pane-title strong')?.textContent ?? '',
        observing: pane.querySelector('[aria-label="Attach mode"] button[aria-pressed="true"]')?.textContent,
        focused: pane.classList.contains('focused'),
      }))
      .sort((a, b) => a.area.localeCompare(b.area)),
  }));
}

async function newShell(name: string): Promise<void> {
  const made = await uiHub.cli('new', '--name', name, '--cwd', uiHub.workspace, '--', 'bash', '--norc', '-i');
  expect(made.code, made.stderr).toBe(0);
}

describe.skipIf(missing !== undefined)('the window comes back after a reload (Chromium, real hub)', () => {
  beforeAll(async () => {
    uiHub = await startUiHub();
    browser = await launchChromium();
    for (const name of ['alpha', 'beta', 'gamma']) await newShell(name);
    ({ context, page } = await ownerPage(browser, uiHub, { width: 1280, height: 800 }));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await uiHub?.close();
  });

  it('tabs, the grid, which pane shows which session and each mode survive F5', async () => {
    await page.getByTestId('session-alpha').click();
    await page.getByTestId('session-beta').click();
    await page.getByTestId('session-gamma').click();
    await page.getByRole('group', { name: 'Grid' }).getByTitle('2 panes').click();
    await page.getByTestId('tab-alpha').locator('.tab-main').click();
    const gamma = page.locator('section.pane:not(.offscreen)', { hasText: 'gamma' });
    await gamma.getByRole('button', { name: 'Observe' }).click();
    await expect
      .poll(() => gamma.getByRole('button', { name: 'Observe' }).getAttribute('aria-pressed'))
      .toBe('true');
    const before = await arrangement(page);
    expect(before.tabs).toEqual(['tab-alpha', 'tab-beta', 'tab-gamma']);
    expect(before.grid).toContain('grid-2');
    expect(before.slots).toHaveLength(2);
    await screenshot(page, '13-03-before-reload');

    await page.reload();
    await page.locator('.topbar').waitFor();
    await expect.poll(() => arrangement(page), { timeout: 15_000 }).toEqual(before);
    await screenshot(page, '13-03-after-reload');
  }, 60_000);

  it("the graph's viewport survives F5", async () => {
    const transform = () =>
      page.locator('.react-flow__viewport').evaluate((node) => (node as HTMLElement).style.transform);
    const graph = page.getByTestId('graph');
    await page.getByRole('button', { name: 'Delegation graph' }).click();
    await expect.poll(() => graph.getAttribute('aria-busy')).toBe('false');
    await page.locator('.react-flow__controls-zoomout').click();
    await page.locator('.react-flow__controls-zoomout').click();
    await page.waitForTimeout(600); // the zoom animates; it is stored when it ends
    const zoomed = await transform();
    await page.reload();
    await graph.waitFor();
    await expect.poll(() => graph.getAttribute('aria-busy')).toBe('false');
    await expect.poll(transform).toBe(zoomed);
    await page.getByRole('button', { name: 'Terminals' }).click();
  }, 60_000);

  it('ignores a corrupted stored arrangement: the page still opens, empty', async () => {
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage))
        if (key.startsWith('switchboard.window.')) localStorage.setItem(key, '{"version":1,"layout":');
    });
    await page.reload();
    await page.locator('.topbar').waitFor();
    await page.getByTestId('session-alpha').waitFor();
    expect((await arrangement(page)).tabs).toEqual([]);
    expect((page as Page & { errors?: string[] }).errors ?? []).toEqual([]);
  }, 60_000);

  it('a task that ends while no page is open shows as unread in the next page; read, it stays read', async () => {
    await context.close();
    const owner = uiHub.owner;
    const worker = await owner.createSession({ name: 'worker', cwd: uiHub.workspace });
    await waitUntil(() => uiHub.hub.registry.resolve(worker.id).status === 'idle', 15_000, 'worker ready');
    const instructions = `CALL report_result ${JSON.stringify({ status: 'done', summary: 'shipped it' })}`;
    await owner.expect('task.result', {
      type: 'task.delegate',
      instructions,
      title: 'ship it',
      to: worker.id,
    });
    await waitUntil(
      () => uiHub.hub.router.list({ session: null, name: 'owner' }).some((task) => task.status === 'done'),
      20_000,
      'task done',
    );

    ({ context, page } = await ownerPage(browser, uiHub, { width: 1280, height: 800 }));
    await expect.poll(() => page.getByTestId('unread').textContent(), { timeout: 15_000 }).toBe('1');
    await screenshot(page, '13-03-unread-after-absence');
    await page.getByTestId('bell').click();
    const shown = page.getByTestId('notice').first();
    await expect.poll(() => shown.textContent()).toContain('Task done: ship it');
    await expect.poll(() => shown.textContent()).toContain('shipped it');
    await screenshot(page, '13-03-notices');
    await expect.poll(() => page.getByTestId('unread').count()).toBe(0);

    await page.reload();
    await page.locator('.topbar').waitFor();
    await page.getByTestId('session-worker').waitFor();
    // Read in the last page: the hub kept the mark, so the count does not come back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await page.getByTestId('unread').count()).toBe(0);
    await page.getByTestId('bell').click();
    await expect.poll(() => page.getByTestId('notice').first().textContent()).toContain('Task done: ship it');
  }, 90_000);
});
