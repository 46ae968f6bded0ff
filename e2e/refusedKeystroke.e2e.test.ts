// Issue 12: the app's panes type without an id (no `ok` per keystroke). A keystroke the hub refuses comes
// back as an `error` naming its session, and the pane that typed shows it. Here the page is kept from
// hearing that another driver took the lease (the frames that say so are held back by a WebSocket
// route), so its input gate lets the key through and the real hub refuses it. Only 127.0.0.1 is contacted.
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../src-cli/connect.js';
import { type Hub } from '../src-hub/index.js';
import type { HubClient } from '../src-protocol/index.js';
import { waitForScreen } from '../test/helpers.js';
import { startLanHub, type LanHub } from './lanHub.js';
import { browserMissing } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] refused keystroke journey skipped: ${missing}`);

let lan: LanHub | undefined;
let hub: Hub;
let owner: HubClient;
let browser: Browser;
let context: BrowserContext | undefined;
let session = '';
const pane = (page: Page) => page.locator(`[data-pane="${session}"]`);

describe.skipIf(missing !== undefined)(
  'a keystroke the hub refuses, in the web UI (Chromium, real hub)',
  () => {
    beforeAll(async () => {
      lan = await startLanHub('switchboard-e2e-refused-', 'ready');
      ({ hub, owner, session, browser } = lan);
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await lan?.close();
    });

    it('shows the refusal on the pane that typed, and the page sent its keys without ids', async () => {
      const invite = await owner.createInvite('driver', { session, name: 'Bob' });
      context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      const page = await context.newPage();
      const sentInputs: Array<Record<string, unknown>> = [];
      const heldBack: string[] = [];
      await page.routeWebSocket(/./, (socket) => {
        const server = socket.connectToServer();
        socket.onMessage((frame) => {
          if (typeof frame === 'string' && frame.includes('"pty.input"'))
            sentInputs.push(JSON.parse(frame) as Record<string, unknown>);
          server.send(frame);
        });
        server.onMessage((frame) => {
          // Whatever says who holds the lease: `lease.changed`, and a session's info with a holder in it.
          const says = typeof frame === 'string' && /"lease\.changed"|"leaseHolder":"/.test(frame);
          if (says) heldBack.push(frame);
          else socket.send(frame);
        });
      });
      await page.goto(invite.link.replace('#', '?webgl=0#'));
      await expect
        .poll(() =>
          pane(page)
            .locator('.xterm-rows')
            .innerText()
            .catch(() => ''),
        )
        .toContain('ready');

      // Another driver takes the free lease by typing; the page never hears of it.
      const other = await owner.createInvite('driver', { session, name: 'Cleo' });
      const cleo = await connectHub(
        { url: hub.lan!.url, token: other.token },
        { fingerprint: hub.lan!.fingerprint, autoAck: true },
      );
      try {
        await cleo.attach(session, 'drive');
        await cleo.input(session, 'cleo\r');
        await waitForScreen(owner, session, 'cleo');
        await expect.poll(() => heldBack.length).toBeGreaterThan(0);

        await pane(page).locator('.xterm').click();
        await page.keyboard.type('bob');
        const hint = pane(page).getByTestId('input-hint');
        await hint.waitFor();
        expect(await hint.innerText()).toContain('Another participant holds the input lease');
        // The keys went without ids (no `ok` each) and never reached the session.
        expect(sentInputs.length).toBeGreaterThan(0);
        for (const frame of sentInputs) expect(frame).not.toHaveProperty('id');
        expect((await owner.screen(session)).lines.join('\n')).not.toContain('bob');
      } finally {
        cleo.close();
      }
    }, 60_000);
  },
);
