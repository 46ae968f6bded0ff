// Ring 4, issue 13: copy and paste in a terminal pane (keys, right-click menu, copy on select) and the
// shortcuts list (closes on Escape and outside clicks; the web UI's keys reach the page). A real hub runs a
// real bash; each journey checks what the session received, not only what the page shows.
import type { Browser, BrowserContext, Page } from 'playwright-core';
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
import { lowContrast } from './contrast.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] polish journeys skipped: ${missing}`);

let uiHub: UiHub;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sessionId = '';

const pane = () => page.locator(`[data-pane="${sessionId}"]`);
const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
const setClipboard = (text: string) => page.evaluate((value) => navigator.clipboard.writeText(value), text);
/** Right-clicks the middle of the pane's terminal. */
const rightClick = () => pane().locator('.xterm-screen').click({ button: 'right' });

/** The buttons of the panes' headers that the open shortcuts list lies over, by their text. */
const coveredPaneButtons = () =>
  page.evaluate(() => {
    const list = document.querySelector('[data-testid="shortcuts"]')!.getBoundingClientRect();
    return [...document.querySelectorAll('.pane-bar button')]
      .filter((button) => {
        const box = button.getBoundingClientRect();
        const shown = box.width > 0 && box.right > 0 && box.left < window.innerWidth;
        return (
          shown &&
          box.left < list.right &&
          list.left < box.right &&
          box.top < list.bottom &&
          list.top < box.bottom
        );
      })
      .map((button) => button.textContent);
  });

/** Double-clicks a word on the pane's screen (its last showing), as a person would: xterm selects it. */
async function selectWord(word: string): Promise<void> {
  const box = await page.evaluate(
    ([id, text]) => {
      const rows = document.querySelector(`[data-pane="${id}"] .xterm-rows`);
      const walker = document.createTreeWalker(rows ?? document.body, NodeFilter.SHOW_TEXT);
      let found: DOMRect | undefined;
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(text) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        found = range.getBoundingClientRect();
      }
      return found && { x: found.x + found.width / 2, y: found.y + found.height / 2 };
    },
    [sessionId, word] as const,
  );
  if (!box) throw new Error(`"${word}" is not on the pane's screen`);
  await page.mouse.dblclick(box.x, box.y);
}

describe.skipIf(missing !== undefined)('copy, paste and shortcuts in the web UI (Chromium, real hub)', () => {
  beforeAll(async () => {
    uiHub = await startUiHub();
    browser = await launchChromium();
    ({ context, page } = await ownerPage(browser, uiHub, { width: 1280, height: 800 }));
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: uiHub.url });
    const made = await uiHub.cli(
      'new',
      '--name',
      'copy',
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
    sessionId = (JSON.parse(made.stdout) as { id: string }).id;
    await uiHub.owner.input(sessionId, 'PS1="$ "; clear; echo copymarker42 alphaword\r');
    await waitForScreen(uiHub.owner, sessionId, 'copymarker42 alphaword');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await uiHub?.close();
  });

  it('Ctrl+Shift+C copies the selection and sends nothing: the half-typed command line survives', async () => {
    await page.getByTestId('session-copy').click();
    await expect
      .poll(() => terminalText(page, sessionId), { timeout: 15_000 })
      .toContain('copymarker42 alphaword');
    await pane().locator('.xterm').click();
    await page.keyboard.type('echo still-here');
    await waitForScreen(uiHub.owner, sessionId, '$ echo still-here');
    await selectWord('copymarker42');
    await page.keyboard.press('Control+Shift+C');
    await expect.poll(clipboard).toBe('copymarker42');
    await page.keyboard.press('Enter');
    await waitForScreen(uiHub.owner, sessionId, '\nstill-here');
  }, 30_000);

  it('Ctrl+Insert copies too', async () => {
    await selectWord('alphaword');
    await page.keyboard.press('Control+Insert');
    await expect.poll(clipboard).toBe('alphaword');
  }, 30_000);

  it('the right-click menu copies the selection and pastes the clipboard as input', async () => {
    await selectWord('copymarker42');
    await rightClick();
    const menu = page.getByTestId('terminal-menu');
    await menu.waitFor();
    await screenshot(page, '13-02-terminal-menu');
    await setClipboard('');
    await menu.getByRole('menuitem', { name: /Copy/ }).click();
    await expect.poll(clipboard).toBe('copymarker42');
    await expect(menu.count()).resolves.toBe(0);

    await setClipboard('echo pasted-by-menu');
    await rightClick();
    await page.getByTestId('terminal-menu').getByRole('menuitem', { name: /Paste/ }).click();
    await waitForScreen(uiHub.owner, sessionId, '$ echo pasted-by-menu');
    await page.keyboard.press('Enter');
    await waitForScreen(uiHub.owner, sessionId, '\npasted-by-menu');
  }, 30_000);

  it('the menu closes on Escape, and copy on select is a setting kept in the browser', async () => {
    await rightClick();
    await page.getByTestId('terminal-menu').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('terminal-menu').count()).toBe(0);

    await rightClick();
    await page
      .getByTestId('terminal-menu')
      .getByRole('menuitemcheckbox', { name: /Copy on select/ })
      .click();
    expect(await page.evaluate(() => localStorage.getItem('switchboard.copyOnSelect'))).toBe('1');
    await setClipboard('');
    await selectWord('alphaword');
    await expect.poll(clipboard).toBe('alphaword');
    await rightClick();
    const checkbox = page.getByTestId('terminal-menu').getByRole('menuitemcheckbox');
    await expect(checkbox.getAttribute('aria-checked')).resolves.toBe('true');
    await checkbox.click(); // off again
    expect(await page.evaluate(() => localStorage.getItem('switchboard.copyOnSelect'))).toBe('0');
  }, 30_000);

  it('the shortcuts list closes on Escape and on a click outside, and shows keys a browser passes on', async () => {
    await page.getByTestId('shortcuts-button').click();
    const list = page.getByTestId('shortcuts');
    await list.waitFor();
    const text = await list.innerText();
    expect(text).toContain('Alt+Shift+N');
    expect(text).toContain('Alt+Shift+1…9');
    expect(text).not.toContain('Ctrl+Shift+N');
    // It covers none of the pane's buttons (^C, ⋯, ×, Observe / Co-drive), in a 1-pane and a 4-pane grid.
    expect(await coveredPaneButtons()).toEqual([]);
    await screenshot(page, '13-08-shortcuts');
    await page.keyboard.press('Escape');
    await expect.poll(() => list.count()).toBe(0);

    await page.getByTestId('shortcuts-button').click();
    await list.waitFor();
    await page.locator('.topbar .brand').click();
    await expect.poll(() => list.count()).toBe(0);

    // The hints elsewhere name the same keys: an empty pane of the 2-pane grid, the "+ New" button.
    await page.locator('.topbar .brand').click();
    await page.keyboard.press('Alt+Shift+E');
    const hint = page.getByTestId('empty-pane-keys');
    await hint.waitFor();
    expect(await hint.innerText()).toContain('Alt+Shift+N new session · Alt+Shift+E grid');
    expect(await hint.innerText()).not.toContain('Ctrl+Shift+N');
    await expect(page.getByRole('button', { name: '+ New' }).getAttribute('title')).resolves.toBe(
      'New session (Alt+Shift+N)',
    );
    await page.keyboard.press('Alt+Shift+E'); // 2 → 4
    await page.getByTestId('shortcuts-button').click();
    await list.waitFor();
    expect(await coveredPaneButtons()).toEqual([]);
    await screenshot(page, '13-08-shortcuts-grid-4');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Alt+Shift+E'); // 4 → 1 again
    await expect.poll(() => hint.count()).toBe(0);
  }, 30_000);

  it("the web UI's keys reach the page: Alt+Shift+N opens the new-session dialog, even from a terminal", async () => {
    await pane().locator('.xterm').click();
    await page.keyboard.press('Alt+Shift+N');
    await page.getByRole('dialog').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    expect(await terminalText(page, sessionId)).not.toContain('~N');
  }, 30_000);

  it('one status palette: done, failed, cancelled and blocked look different in the graph and the notices, in both themes', async () => {
    const made = await uiHub.cli('new', '--name', 'palette', '--cwd', uiHub.workspace, '--json');
    expect(made.code, made.stderr).toBe(0);
    const target = (JSON.parse(made.stdout) as { id: string }).id;
    const ended = await uiHub.cli('new', '--name', 'gone', '--cwd', uiHub.workspace, '--', 'true');
    expect(ended.code, ended.stderr).toBe(0);
    const call = (status: string) =>
      `SLEEP 500\nCALL report_result ${JSON.stringify({ status, summary: `ended ${status}` })}`;
    await page.getByRole('button', { name: 'Delegation graph' }).click();
    // One at a time: with one open task the agent's report_result needs no task id.
    for (const status of ['done', 'failed', 'blocked']) {
      const sent = await uiHub.cli('delegate', '--to', target, '--title', `t-${status}`, call(status));
      expect(sent.code, sent.stderr).toBe(0);
      await expect
        .poll(() => page.getByTestId(`edge-t-${status}`).getAttribute('data-status'), { timeout: 20_000 })
        .toBe(status);
    }
    const slow = await uiHub.cli(
      'delegate',
      '--to',
      target,
      '--title',
      't-cancelled',
      '--json',
      'SLEEP 60000',
    );
    const slowId = (JSON.parse(slow.stdout) as { id: string }).id;
    // A running task's dot in the list has its edge's colour (not a running shell's).
    await expect
      .poll(() => page.getByTestId('edge-t-cancelled').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('running');
    const runningColours = await page.evaluate((id) => {
      const dot = document.querySelector('[data-testid="edge-t-cancelled"] .status-dot')!;
      const path = document.querySelector(`[data-testid="rf__edge-${id}"] .react-flow__edge-path`)!;
      return { dot: getComputedStyle(dot).backgroundColor, edge: getComputedStyle(path).stroke };
    }, slowId);
    expect(runningColours.dot).toBe(runningColours.edge);
    expect((await uiHub.cli('cancel', slowId)).code).toBe(0);
    await expect
      .poll(() => page.getByTestId('edge-t-cancelled').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('cancelled');

    await page.getByTestId('edge-t-done').getByRole('button').click(); // the inspector, measured too
    await page.getByTestId('task-inspector').waitFor();
    for (const theme of ['dark', 'light'] as const) {
      await page.evaluate((name) => document.documentElement.setAttribute('data-theme', name), theme);
      const dots = await page.evaluate(() =>
        Object.fromEntries(
          ['done', 'failed', 'blocked', 'cancelled'].map((status) => [
            status,
            getComputedStyle(document.querySelector(`[data-testid="edge-t-${status}"] .status-dot`)!)
              .backgroundColor,
          ]),
        ),
      );
      expect(new Set(Object.values(dots)).size, JSON.stringify(dots)).toBe(4);
      const edges = await page.evaluate(() =>
        [...document.querySelectorAll('.task-edge .react-flow__edge-path')].map(
          (path) => getComputedStyle(path).stroke,
        ),
      );
      expect(new Set(edges).size, JSON.stringify(edges)).toBe(4);
      // What is painted, measured: every word and dot of the graph (an ended node too), the task list,
      // the sidebar and the top bar's unread count meet WCAG AA against what lies beneath them.
      expect(
        await lowContrast(
          page,
          '.graph-node, .graph-legend, .sidebar, .topbar, [data-testid="task-inspector"]',
        ),
      ).toEqual([]);
      await screenshot(page, `13-09-palette-${theme}`);
    }
    await page.getByTestId('bell').click();
    const borders = await page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('[data-testid="notice"]')].map((notice) => [
          notice.className,
          getComputedStyle(notice.querySelector('.notice-main')!).borderLeftColor,
        ]),
      ),
    );
    const colour = (status: string) =>
      Object.entries(borders).find(([name]) => name.includes(`notice-${status}`))?.[1];
    expect(colour('done')).toBeDefined();
    expect(await lowContrast(page, '[data-testid="notice"]')).toEqual([]);
    expect(new Set(['done', 'failed', 'blocked'].map(colour)).size, JSON.stringify(borders)).toBe(3);
    await screenshot(page, '13-09-palette-notices');
    await page.getByTestId('bell').click();
  }, 60_000);

  it('raised no page errors', () => {
    expect((page as Page & { errors?: string[] }).errors ?? []).toEqual([]);
  });
});
