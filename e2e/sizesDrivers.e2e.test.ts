// Issue 13 item 4, the rest of it: when the browser driver whose size holds leaves, the session's size
// follows the browser driver that remains (tmux's latest-client rule). Two driver invitees in Chromium at
// different window sizes, over the hub's LAN listener (TLS, bound to 127.0.0.1); the size is read from
// the hub (session.list), the remaining driver's wanted size from its own pane's size bar.
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '../src-protocol/index.js';
import { waitForScreen } from '../test/helpers.js';
import { startLanHub, type LanHub } from './lanHub.js';
import { browserMissing, screenshot } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] driver size journeys skipped: ${missing}`);

let lan: LanHub | undefined;
let owner: HubClient;
let browser: Browser;
let session = '';
const contexts: BrowserContext[] = [];
const pane = (page: Page) => page.locator(`[data-pane="${session}"]`);

/** The session's size as the hub reports it. */
async function hubSize(): Promise<string> {
  const info = (await owner.listSessions()).find((entry) => entry.id === session);
  return info ? `${info.cols}x${info.rows}` : 'gone';
}

/** A driver invitee's own browser window, at `width`×`height`, with the session's screen shown. */
async function driverPage(name: string, width: number, height: number): Promise<Page> {
  const invite = await owner.createInvite('driver', { session, name });
  const context = await browser.newContext({ viewport: { width, height } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(invite.link.replace('#', '?webgl=0#'));
  await expect
    .poll(() =>
      pane(page)
        .locator('.xterm-rows')
        .innerText()
        .catch(() => ''),
    )
    .toContain('before the drivers came');
  return page;
}

describe.skipIf(missing !== undefined)(
  'the session size follows the browser drivers (Chromium, real hub)',
  () => {
    beforeAll(async () => {
      lan = await startLanHub('switchboard-e2e-sizes-', 'before the drivers came');
      ({ owner, session, browser } = lan);
    }, 60_000);

    afterAll(async () => {
      for (const context of contexts.splice(0)) await context.close();
      await lan?.close();
    });

    it('a driver that takes the lease sizes the session; when it leaves, the size is the remaining driver’s', async () => {
      const big = await driverPage('Ada', 1600, 900);
      // Ada has not typed: she holds no lease, so the session keeps the size it was made with.
      expect(await hubSize()).toBe('80x16');
      await pane(big).locator('.xterm').click();
      await big.keyboard.type('ada types');
      await big.keyboard.press('Enter');
      await waitForScreen(owner, session, 'ada types');
      // Taking the lease (lease.changed) made her pane size the session, without any window resize.
      await expect.poll(hubSize, { timeout: 10_000 }).not.toBe('80x16');
      const adaSize = await hubSize();
      const [adaCols, adaRows] = adaSize.split('x').map(Number);
      expect(adaCols).toBeGreaterThan(80);
      expect(adaRows).toBeGreaterThan(16);

      // Bea's smaller window does not size the session (Ada holds the lease): her bar says what she sees.
      const small = await driverPage('Bea', 1000, 600);
      const bar = pane(small).getByTestId('size-bar');
      await expect
        .poll(() => bar.textContent().catch(() => ''), { timeout: 10_000 })
        .toMatch(new RegExp(`The session is ${adaCols}×${adaRows}, you see \\d+×\\d+`));
      const [, beaCols, beaRows] = /you see (\d+)×(\d+)/.exec((await bar.textContent()) ?? '')!;
      const beaSize = `${beaCols}x${beaRows}`;
      expect(beaSize).not.toBe(adaSize);
      expect(await hubSize()).toBe(adaSize);
      await screenshot(small, '13-04-sizes-two-drivers');

      // Ada closes her window: the size follows Bea's, and Bea's pane no longer needs a bar.
      await contexts.shift()!.close();
      await expect.poll(hubSize, { timeout: 10_000 }).toBe(beaSize);
      await expect.poll(() => bar.count(), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => pane(small).locator('.xterm-rows').innerText()).toContain('ada types');
      await screenshot(small, '13-04-sizes-remaining-driver');

      // The size is Bea's now: her window shrinking shrinks the session too, lease or not.
      await small.setViewportSize({ width: 1000, height: 480 });
      await expect
        .poll(
          async () => {
            const [cols, rows] = (await hubSize()).split('x').map(Number);
            return cols === Number(beaCols) && rows! < Number(beaRows);
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      // The hub may report the new size a moment before the page hears its pty.resized: poll, as above.
      await expect.poll(() => bar.count(), { timeout: 10_000 }).toBe(0);
    }, 90_000);
  },
);
