// Ring 4, issue 13 item 4: an observer's pane smaller than the session shows all of it. It fits the
// session with a smaller font, or scrolls with the newest lines in view, and says so: "the session is
// 207×64, you see …: Fit / Scroll". A real hub runs a real bash; the owner sizes it from outside the page.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForScreen } from '../test/helpers.js';
import { browserMissing, launchChromium, ownerPage, screenshot, startUiHub, type UiHub } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] size journeys skipped: ${missing}`);

let uiHub: UiHub;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let sessionId = '';

const pane = () => page.locator(`[data-pane="${sessionId}"]`);

/** Where the marker's text sits against the terminal host's visible box (null: not on screen). */
function markerPlace(marker: string) {
  return page.evaluate(
    ([id, text]) => {
      const host = document.querySelector(`[data-pane="${id}"] .terminal-host`);
      const rows = host?.querySelector('.xterm-rows');
      if (!host || !rows) return null;
      const walker = document.createTreeWalker(rows, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(text) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + text.length);
        const mark = range.getBoundingClientRect();
        const box = host.getBoundingClientRect();
        const fontSize = parseFloat(getComputedStyle(rows).fontSize);
        const inside =
          mark.top >= box.top &&
          mark.bottom <= box.bottom &&
          mark.left >= box.left &&
          mark.right <= box.right;
        return { inside, fontSize };
      }
      return null;
    },
    [sessionId, marker] as const,
  );
}

describe.skipIf(missing !== undefined)('a pane smaller than its session (Chromium, real hub)', () => {
  beforeAll(async () => {
    uiHub = await startUiHub();
    browser = await launchChromium();
    ({ context, page } = await ownerPage(browser, uiHub, { width: 1280, height: 800 }));
    const made = await uiHub.cli(
      'new',
      '--name',
      'wide',
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
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await uiHub?.close();
  });

  it('fits a bigger session with a smaller font, the prompt in view, and says both sizes', async () => {
    await page.getByTestId('session-wide').click();
    await pane().getByRole('button', { name: 'Observe' }).click();
    await expect
      .poll(() => pane().getByRole('button', { name: 'Observe' }).getAttribute('aria-pressed'))
      .toBe('true');
    await uiHub.owner.resize(sessionId, 207, 64);
    // Fill the whole screen, then leave a prompt marker on its last row.
    await uiHub.owner.input(
      sessionId,
      'PS1="BOTTOM-PROMPT$ "; clear; for i in $(seq 1 80); do echo row-$i; done\r',
    );
    await waitForScreen(uiHub.owner, sessionId, 'row-80');
    const bar = page.getByTestId('size-bar');
    await expect
      .poll(() => bar.textContent(), { timeout: 15_000 })
      .toMatch(/The session is 207×64, you see \d+×\d+/);
    await expect
      .poll(async () => (await markerPlace('BOTTOM-PROMPT'))?.inside, { timeout: 10_000 })
      .toBe(true);
    const fitted = await markerPlace('BOTTOM-PROMPT');
    expect(fitted!.fontSize).toBeLessThan(13);
    expect(await bar.getByRole('button', { name: 'Fit' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, '13-04-size-fit');
  }, 60_000);

  it('scroll keeps the normal font and shows the newest lines and the prompt', async () => {
    const bar = page.getByTestId('size-bar');
    await bar.getByRole('button', { name: 'Scroll' }).click();
    await expect.poll(async () => (await markerPlace('BOTTOM-PROMPT'))?.fontSize).toBe(13);
    expect((await markerPlace('BOTTOM-PROMPT'))?.inside).toBe(true);
    expect(await bar.getByRole('button', { name: 'Scroll' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, '13-04-size-scroll');
  }, 30_000);

  it('the bar goes when the session fits the pane again', async () => {
    await uiHub.owner.resize(sessionId, 80, 24);
    await expect.poll(() => page.getByTestId('size-bar').count(), { timeout: 10_000 }).toBe(0);
    expect((await markerPlace('BOTTOM-PROMPT'))?.fontSize).toBe(13);
  }, 30_000);
});
