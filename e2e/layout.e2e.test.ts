// Ring 4, issue 13 item 7: the layout at 1280×800 and 1920×1080 in Chromium against a real hub: one-line pane
// headers in the 2- and 4-pane grids, sidebar rows that keep their height on hover, a collapsible sidebar,
// draggable grid splits that refit the terminals, and tabs that drag (or move by keys) with the grid following.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '../src-protocol/index.js';
import { connectHub } from '../src-cli/connect.js';
import { waitForScreen } from '../test/helpers.js';
import { browserMissing, launchChromium, ownerPage, screenshot, startUiHub, type UiHub } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] layout journeys skipped: ${missing}`);

const NAMES = ['api-server-refactor', 'frontend-tests', 'docs-writer', 'release-notes'];

let uiHub: UiHub;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let watcher: HubClient;
const ids: Record<string, string> = {};

const box = async (selector: string) => {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not on the page`);
  return found;
};
/** The names on the tabs, left to right. */
const tabOrder = () =>
  page.$$eval('.tabs .tab', (tabs) => tabs.map((tab) => tab.getAttribute('data-testid')!.slice(4)));
/** The panes on the grid in reading order (top to bottom, left to right), by session name. */
const gridOrder = () =>
  page.$$eval('.grid .pane[data-pane]:not(.offscreen)', (panes) =>
    panes
      .map((pane) => ({ pane, at: pane.getBoundingClientRect() }))
      .sort((a, b) => Math.round(a.at.top - b.at.top) || a.at.left - b.at.left)
      .map(({ pane }) => pane.querySelector('.pane-title strong')!.textContent),
  );
/** A pane's terminal size as the hub's session record has it. */
const setGrid = (size: 1 | 2 | 4) =>
  page
    .getByRole('group', { name: 'Grid' })
    .getByRole('button', { name: { 1: '▣', 2: '◫', 4: '⊞' }[size] })
    .click();

describe.skipIf(missing !== undefined)('layout of the web UI (Chromium, real hub)', () => {
  beforeAll(async () => {
    uiHub = await startUiHub();
    for (const name of NAMES) {
      const made = await uiHub.cli(
        'new',
        '--name',
        name,
        '--cwd',
        uiHub.workspace,
        '--json',
        '--',
        'bash',
        '--norc',
        '--noprofile',
        '-i',
      );
      expect(made.code, made.stderr).toBe(0);
      ids[name] = (JSON.parse(made.stdout) as { id: string }).id;
      await uiHub.owner.input(ids[name], `PS1="$ "; clear; echo ready-${name}\r`);
      await waitForScreen(uiHub.owner, ids[name], `ready-${name}`);
    }
    const ended = await uiHub.cli(
      'new',
      '--name',
      'finished-job',
      '--cwd',
      uiHub.workspace,
      '--json',
      '--',
      'true',
    );
    expect(ended.code, ended.stderr).toBe(0);
    // A second person watching every session: the panes' headers show their presence too.
    watcher = await connectHub({ url: uiHub.url, token: uiHub.hub.ownerToken }, { autoAck: true });
    for (const name of NAMES) await watcher.attach(ids[name]!, 'observe');
    browser = await launchChromium();
    ({ context, page } = await ownerPage(browser, uiHub, { width: 1280, height: 800 }));
    for (const name of NAMES) await page.getByTestId(`session-${name}`).click();
    await page.getByTestId('session-finished-job').locator('[data-status="ended"]').waitFor();
  }, 90_000);

  afterAll(async () => {
    watcher?.close();
    await context?.close();
    await browser?.close();
    await uiHub?.close();
  });

  it('pane headers keep one line at 1280×800 in the 2- and 4-pane grids, with every control inside the pane', async () => {
    for (const size of [2, 4] as const) {
      await setGrid(size);
      await expect.poll(() => page.locator('.grid .pane[data-pane]:not(.offscreen)').count()).toBe(size);
      const bars = await page.$$eval('.grid .pane[data-pane]:not(.offscreen)', (panes) =>
        panes.map((pane) => {
          const bar = pane.querySelector('.pane-bar')!.getBoundingClientRect();
          const close = pane.querySelector('[aria-label="Close pane"]')!.getBoundingClientRect();
          const title = pane.querySelector('.pane-title strong')!;
          return {
            height: bar.height,
            paneRight: pane.getBoundingClientRect().right,
            closeRight: close.right,
            closeMiddle: close.top + close.height / 2 - bar.top,
            titleWidth: title.getBoundingClientRect().width,
            // The visible header buttons' faces: no two may look the same (one "⋯", not two side by side).
            faces: [...pane.querySelectorAll<HTMLElement>('.pane-bar button')]
              .filter((button) => button.getClientRects().length > 0 && !button.closest('[role="menu"]'))
              .map((button) => (button.textContent ?? '').trim()),
          };
        }),
      );
      for (const bar of bars) {
        // One line of 26 px buttons plus padding; two lines would be over 50.
        expect(bar.height, JSON.stringify(bar)).toBeLessThan(40);
        expect(Math.abs(bar.closeMiddle - bar.height / 2), JSON.stringify(bar)).toBeLessThan(4);
        expect(bar.closeRight, JSON.stringify(bar)).toBeLessThanOrEqual(bar.paneRight);
        expect(bar.titleWidth).toBeGreaterThan(40);
        expect(
          bar.faces.filter((face) => face === '⋯'),
          JSON.stringify(bar.faces),
        ).toHaveLength(1);
        expect(new Set(bar.faces).size, JSON.stringify(bar.faces)).toBe(bar.faces.length);
      }
      await screenshot(page, `13-07-grid${size}-1280`);
    }
    // The secondary controls of a narrow pane are one click away in its "⋯" menu.
    const first = page.locator('.grid .pane[data-pane]:not(.offscreen)').first();
    await first.getByTestId('pane-overflow').click();
    const menu = first.getByTestId('pane-overflow-menu');
    await expect(menu.getByTestId('presence').locator('li').count()).resolves.toBe(2);
    await screenshot(page, '13-07-pane-overflow');
    // The session's own actions are in the same menu, not behind a second "⋯" next to it.
    await menu.getByRole('button', { name: /Actions for/ }).click();
    await first.getByTestId('session-menu').getByRole('menuitem', { name: 'Rename…' }).waitFor();
    await screenshot(page, '13-07-pane-overflow-session');
    await page.keyboard.press('Escape');
    await expect.poll(() => first.getByTestId('session-menu').count()).toBe(0);
    if ((await menu.count()) === 0) await first.getByTestId('pane-overflow').click();
    await menu.getByRole('button', { name: '⌕' }).click();
    await expect.poll(() => menu.count()).toBe(0);
    await first.getByRole('textbox', { name: 'Search' }).waitFor();
    await page.keyboard.press('Escape');
  }, 30_000);

  it('sidebar rows keep their height on hover, and badges line up on ended rows', async () => {
    // Opening the ended session shows its last screen (the window attaches to it), which is no client the
    // row should count; the row offers what fits an ended session: open and restart, not watch.
    const endedRow = page.getByTestId('session-finished-job');
    await endedRow.click();
    await page.getByTestId('pane-ended').first().waitFor();
    await expect
      .poll(async () => (await uiHub.owner.listSessions()).find((s) => s.name === 'finished-job')?.clients)
      .toBeGreaterThan(0);
    expect(await endedRow.locator('.session-clients').count()).toBe(0);
    await endedRow.hover();
    const endedActions = await endedRow.locator('.session-actions button.link').allTextContents();
    expect(endedActions).toEqual(['open', 'restart']);
    await screenshot(page, '13-07-ended-row');
    await page
      .locator('.pane', { has: page.getByTestId('pane-ended') })
      .getByRole('button', { name: 'Close' })
      .click();
    await expect.poll(() => page.getByTestId('pane-ended').count()).toBe(0);
    const rows = page.locator('.session-row');
    const count = await rows.count();
    expect(count).toBe(NAMES.length + 1);
    for (let index = 0; index < count; index++) {
      await page.mouse.move(640, 790); // away from every row
      const before = (await rows.nth(index).boundingBox())!;
      await rows.nth(index).hover();
      await expect
        .poll(() =>
          rows
            .nth(index)
            .locator('.session-actions')
            .evaluate((el) => getComputedStyle(el).visibility),
        )
        .toBe('visible');
      const during = (await rows.nth(index).boundingBox())!;
      expect(during.height, `row ${index}`).toBe(before.height);
      expect(during.y, `row ${index}`).toBe(before.y);
    }
    const kinds = await page.$$eval('.session-row', (all) =>
      all.map((row) => ({
        ended: row.querySelector('[data-status="ended"]') !== null,
        kindRight: Math.round(row.querySelector('.session-kind')!.getBoundingClientRect().right),
        dotLeft: Math.round(row.querySelector('.status-dot')!.getBoundingClientRect().left),
        height: Math.round(row.getBoundingClientRect().height),
      })),
    );
    expect(kinds.filter((row) => row.ended)).toHaveLength(1);
    expect(new Set(kinds.map((row) => row.kindRight)).size, JSON.stringify(kinds)).toBe(1);
    expect(new Set(kinds.map((row) => row.dotLeft)).size, JSON.stringify(kinds)).toBe(1);
    expect(new Set(kinds.map((row) => row.height)).size, JSON.stringify(kinds)).toBe(1);
  }, 30_000);

  it('the sidebar collapses to a rail and expands; the choice survives a reload', async () => {
    const wide = (await box('[data-testid="sidebar"]')).width;
    expect(wide).toBeGreaterThan(200);
    const paneBefore = (await box('.grid .pane[data-pane]:not(.offscreen)')).width;
    await page.getByTestId('sidebar-toggle').click();
    await expect.poll(async () => (await box('[data-testid="sidebar"]')).width).toBeLessThan(60);
    await expect
      .poll(async () => (await box('.grid .pane[data-pane]:not(.offscreen)')).width)
      .toBeGreaterThan(paneBefore + 80);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.sidebarCollapsed'))).toBe('1');
    // Siblings named alike (sh1, sh2) read apart on the rail; the tooltip has the full name.
    for (const name of ['sh1', 'sh2']) {
      const made = await uiHub.cli('new', '--name', name, '--cwd', uiHub.workspace, '--', 'true');
      expect(made.code, made.stderr).toBe(0);
    }
    const rail = page.locator('.sidebar-rail .rail-session');
    await expect.poll(() => rail.count()).toBe(NAMES.length + 3);
    const railItems = await rail.evaluateAll((buttons) =>
      buttons.map((button) => ({
        label: button.querySelector('.rail-initial')!.textContent,
        title: button.getAttribute('title'),
      })),
    );
    expect(new Set(railItems.map((item) => item.label)).size, JSON.stringify(railItems)).toBe(
      railItems.length,
    );
    expect(railItems.find((item) => item.title?.startsWith('sh1 '))?.label).toBe('s1');
    expect(railItems.find((item) => item.title?.startsWith('sh2 '))?.label).toBe('s2');
    await screenshot(page, '13-07-rail-labels');
    for (const name of ['sh1', 'sh2'])
      await expect.poll(async () => (await uiHub.cli('rm', name)).code).toBe(0);
    await expect.poll(() => rail.count()).toBe(NAMES.length + 1);
    await page.getByRole('button', { name: 'Open docs-writer' }).click();
    await expect.poll(() => page.locator('.tab.active').getAttribute('data-testid')).toBe('tab-docs-writer');
    await screenshot(page, '13-07-sidebar-collapsed');
    await page.reload();
    await page.locator('.topbar').waitFor();
    await expect.poll(async () => (await box('[data-testid="sidebar"]')).width).toBeLessThan(60);
    await page.getByTestId('sidebar-toggle').click();
    await expect.poll(async () => (await box('[data-testid="sidebar"]')).width).toBe(wide);
    expect(await page.evaluate(() => localStorage.getItem('switchboard.sidebarCollapsed'))).toBe('0');
    // Reopen the panes the reload closed (another change keeps them across reloads).
    for (const name of NAMES) await page.getByTestId(`session-${name}`).click();
  }, 30_000);

  it('starts collapsed below 1000 px until the person chooses', async () => {
    const narrow = await ownerPage(browser, uiHub, { width: 900, height: 700 });
    try {
      await expect
        .poll(async () => (await narrow.page.locator('[data-testid="sidebar"]').boundingBox())?.width)
        .toBeLessThan(60);
      // The top bar keeps one row at 900 px, no label broken inside its button ("Delegation / graph").
      const bar = await narrow.page.evaluate(() => {
        const top = document.querySelector('.topbar')!;
        const tall = [...top.querySelectorAll('button')].filter(
          (button) => button.getBoundingClientRect().height > 34,
        );
        return { height: top.getBoundingClientRect().height, tall: tall.map((b) => b.textContent) };
      });
      expect(bar).toEqual({ height: 40, tall: [] });
      await screenshot(narrow.page, '13-07-narrow-900');
      await narrow.page.setViewportSize({ width: 1200, height: 700 });
      await expect
        .poll(async () => (await narrow.page.locator('[data-testid="sidebar"]').boundingBox())?.width)
        .toBeGreaterThan(200);
    } finally {
      await narrow.context.close();
    }
  }, 30_000);

  it('dragging the split resizes the panes and the terminals refit to it', async () => {
    await setGrid(2);
    const panes = page.locator('.grid .pane[data-pane]:not(.offscreen)');
    await expect.poll(() => panes.count()).toBe(2);
    const left = await panes.nth(0).locator('.pane-title strong').innerText();
    const right = await panes.nth(1).locator('.pane-title strong').innerText();
    await expect.poll(async () => (await panes.nth(0).boundingBox())!.width).toBeGreaterThan(300);
    const widthBefore = (await panes.nth(0).boundingBox())!.width;
    const colsBefore = (await uiHub.owner.screen(ids[left]!)).cols;
    const rightColsBefore = (await uiHub.owner.screen(ids[right]!)).cols;
    const handle = await box('[data-testid="splitter-column"]');
    await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
    await page.mouse.down();
    await page.mouse.move(handle.x + handle.width / 2 + 60, handle.y + 200, { steps: 5 });
    await page.mouse.move(handle.x + handle.width / 2 + 130, handle.y + 200, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => (await panes.nth(0).boundingBox())!.width)
      .toBeGreaterThan(widthBefore + 120);
    // The terminals refit, and the hub's sessions take the new sizes: wider on the left, narrower on the right.
    await expect
      .poll(async () => (await uiHub.owner.screen(ids[left]!)).cols)
      .toBeGreaterThan(colsBefore + 10);
    await expect
      .poll(async () => (await uiHub.owner.screen(ids[right]!)).cols)
      .toBeLessThan(rightColsBefore - 10);
    const stored = JSON.parse((await page.evaluate(() => localStorage.getItem('switchboard.splits')))!) as {
      column: number;
    };
    expect(stored.column).toBeGreaterThan(0.6);
    await screenshot(page, '13-07-split-dragged');
    // Dragged to the edge, the split stops where the smaller pane keeps 360 px and its whole header.
    const moved = await box('[data-testid="splitter-column"]');
    await page.mouse.move(moved.x + moved.width / 2, moved.y + 200);
    await page.mouse.down();
    await page.mouse.move(1270, moved.y + 200, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(async () => Math.round((await panes.nth(1).boundingBox())!.width))
      .toBeGreaterThanOrEqual(358);
    const squeezed = await panes.nth(1).evaluate((pane) => ({
      paneRight: pane.getBoundingClientRect().right,
      closeRight: pane.querySelector('[aria-label="Close pane"]')!.getBoundingClientRect().right,
      bar: pane.querySelector('.pane-bar')!.getBoundingClientRect().height,
    }));
    expect(squeezed.closeRight, JSON.stringify(squeezed)).toBeLessThanOrEqual(squeezed.paneRight);
    expect(squeezed.bar).toBeLessThan(40);
    await screenshot(page, '13-07-split-narrowest');
    // The keys move the focused split too; double-click evens it out.
    await page.getByTestId('splitter-column').dblclick();
    await expect
      .poll(async () => Math.abs((await panes.nth(0).boundingBox())!.width - widthBefore))
      .toBeLessThan(3);
    await page.getByTestId('splitter-column').focus();
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => page.getByTestId('splitter-column').getAttribute('aria-valuenow')).toBe('48');
  }, 30_000);

  it('dragging a tab reorders the tabs and the grid follows; Alt+Shift+arrows move the focused tab', async () => {
    await setGrid(4);
    await expect.poll(() => page.locator('.grid .pane[data-pane]:not(.offscreen)').count()).toBe(4);
    const before = await tabOrder();
    expect(await gridOrder()).toEqual(before);
    const last = before.at(-1)!;
    await page.getByTestId(`tab-${last}`).dragTo(page.getByTestId(`tab-${before[0]!}`), {
      targetPosition: { x: 5, y: 10 },
    });
    const dragged = [last, ...before.slice(0, -1)];
    await expect.poll(tabOrder).toEqual(dragged);
    await expect.poll(gridOrder).toEqual(dragged);
    await screenshot(page, '13-07-tab-dragged');

    // Keys: focus the first pane's terminal, move its tab (and pane) one place right.
    await page.locator(`[data-pane="${ids[last]}"] .xterm`).click();
    await page.keyboard.press('Alt+Shift+ArrowRight');
    const moved = [dragged[1]!, last, ...dragged.slice(2)];
    await expect.poll(tabOrder).toEqual(moved);
    await expect.poll(gridOrder).toEqual(moved);
    // The keys reached the page, not the shell.
    expect((await uiHub.owner.screen(ids[last]!)).lines.join('\n')).not.toContain(';4C');
  }, 30_000);

  it('looks right at 1920×1080', async () => {
    await page.setViewportSize({ width: 1920, height: 1080 });
    for (const size of [2, 4] as const) {
      await setGrid(size);
      await expect
        .poll(async () => (await box('.grid .pane[data-pane]:not(.offscreen) .pane-bar')).height)
        .toBeLessThan(40);
      await screenshot(page, `13-07-grid${size}-1920`);
    }
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.getByTestId('sidebar-toggle').click();
    await screenshot(page, '13-07-grid4-1920-dark-collapsed');
    await page.getByTestId('sidebar-toggle').click();
    await page.keyboard.press('Control+Shift+L');
  }, 30_000);

  it('raised no page errors', () => {
    expect((page as Page & { errors?: string[] }).errors ?? []).toEqual([]);
  });
});
