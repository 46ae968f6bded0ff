// Issue 10, "Connect to a hub…" in the web UI: two real hubs. The owner's page on hub A joins hub B's LAN
// listener (TLS on 127.0.0.1, Chromium pinned to B's key: a page cannot check fp= itself) with B's invite
// links; B's sessions show under B's name next to A's, panes attach and show B's output, the observer role
// holds, a driver types; a revoked invite and a kick make the group say so; a bad link says what is wrong.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import { spkiHash } from '../src-hub/net/certificate.js';
import type { HubClient } from '../src-protocol/index.js';
import { waitForScreen } from '../test/helpers.js';
import { chromiumLaunchOptions } from '../bench/lib/chromium.mjs';
import { browserMissing, ownerPage, screenshot, startUiHub, type UiHub } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] connect-to-a-hub journeys skipped: ${missing}`);

let home: UiHub;
let stateDirB: string;
let hubB: Hub;
let ownerB: HubClient;
let browser: Browser;
let shared = '';
let other = '';
const contexts: BrowserContext[] = [];

const group = (page: Page) => page.getByTestId(`hub-${hostname()}`);
const paneOf = (page: Page, session: string) => page.locator(`[data-pane^="r"][data-pane$="/${session}"]`);
const rowsOf = (page: Page, session: string) =>
  paneOf(page, session)
    .locator('.xterm-rows')
    .innerText()
    .catch(() => '');

async function connect(page: Page, link: string) {
  await page.getByRole('button', { name: 'Connect to a hub…' }).click();
  await page.getByLabel('Invite link').fill(link);
  await page.getByTestId('connect-hub-dialog').getByRole('button', { name: 'Connect' }).click();
}

async function freshOwnerPage(): Promise<Page> {
  const { context, page } = await ownerPage(browser, home, { query: 'webgl=0' });
  contexts.push(context);
  return page;
}

describe.skipIf(missing !== undefined)('Connect to a hub… in the web UI (two real hubs, Chromium)', () => {
  beforeAll(async () => {
    home = await startUiHub();
    await home.owner.createSession({ name: 'home-session', command: '/bin/cat', cols: 80, rows: 12 });
    stateDirB = mkdtempSync(join(tmpdir(), 'switchboard-e2e-hub-b-'));
    hubB = createHub({ stateDir: stateDirB, logger: memoryLogger() });
    await hubB.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
    ownerB = await hubB.connect();
    shared = (await ownerB.createSession({ name: 'b-shared', command: '/bin/cat', cols: 80, rows: 12 })).id;
    other = (await ownerB.createSession({ name: 'b-other', command: '/bin/cat', cols: 80, rows: 12 })).id;
    await ownerB.input(shared, 'written on hub B before anyone came\r');
    await waitForScreen(ownerB, shared, 'written on hub B before anyone came');
    const spki = spkiHash(readFileSync(join(stateDirB, 'lan-cert.pem'), 'utf8'));
    browser = await chromium.launch(chromiumLaunchOptions({ spki }));
  }, 90_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    ownerB?.close();
    await hubB?.close();
    await home?.close();
    if (stateDirB) rmSync(stateDirB, { recursive: true, force: true });
  });

  it("an observer link: B's session opens under B's name next to A's, shows B's output, and cannot be typed into", async () => {
    const page = await freshOwnerPage();
    await page.getByTestId('session-home-session').waitFor();
    const invite = await ownerB.createInvite('observer', { session: shared, name: 'Ada' });
    await connect(page, invite.link);
    await group(page).waitFor();
    expect(await group(page).innerText()).toContain('observer');
    await expect.poll(() => rowsOf(page, shared)).toContain('written on hub B before anyone came');
    // Both hubs in one sidebar: A's own session, and B's under B's name.
    expect(await page.getByTestId('session-home-session').count()).toBe(1);
    expect(await group(page).getByTestId('session-b-shared').count()).toBe(1);
    expect(await group(page).getByTestId('session-b-other').count()).toBe(0); // the invite reaches one session
    const pane = paneOf(page, shared);
    expect(await pane.getByRole('button', { name: 'Co-drive' }).isDisabled()).toBe(true);
    await expect.poll(() => pane.getByTestId('presence').innerText()).toContain('observer');
    await ownerB.input(shared, 'live on hub B\r');
    await expect.poll(() => rowsOf(page, shared)).toContain('live on hub B');
    await pane.locator('.xterm').click();
    await page.keyboard.type('the observer types');
    await page.keyboard.press('Enter');
    await pane.getByTestId('input-hint').waitFor();
    expect(await pane.getByTestId('input-hint').innerText()).toContain('This invite is for watching');
    expect((await ownerB.screen(shared)).lines.join('\n')).not.toContain('the observer types');
    await screenshot(page, 'connect-hub-01-observer');

    // The owner of B revokes the invite: the group says so, and A's own hub is untouched.
    await ownerB.revokeInvite(invite.id);
    await group(page).getByTestId('hub-gone').waitFor();
    expect(await group(page).getByTestId('hub-gone').innerText()).toMatch(/revoked/i);
    expect(await page.getByTestId('session-home-session').count()).toBe(1);
    await screenshot(page, 'connect-hub-02-revoked');
  }, 60_000);

  it('a hub-wide driver link lists every session; the driver types into one; a kick makes the group say so', async () => {
    const page = await freshOwnerPage();
    const invite = await ownerB.createInvite('driver', { name: 'Bob' });
    await connect(page, invite.link);
    await group(page).getByTestId('session-b-other').waitFor();
    expect(await group(page).getByTestId('session-b-shared').count()).toBe(1);
    await group(page).getByTestId('session-b-other').click();
    await expect.poll(() => paneOf(page, other).getByTestId('presence').innerText()).toContain('driver');
    await paneOf(page, other).locator('.xterm').click();
    await page.keyboard.type('bob types into hub B');
    await page.keyboard.press('Enter');
    await waitForScreen(ownerB, other, 'bob types into hub B');
    await expect.poll(() => rowsOf(page, other)).toContain('bob types into hub B');
    const { invites } = await ownerB.listInvites();
    const client = invites.find((entry) => entry.id === invite.id)?.clients[0]?.clientId;
    expect(client).toBeDefined();
    await ownerB.kick(client!);
    await group(page).getByTestId('hub-gone').waitFor();
    expect(await group(page).getByTestId('hub-gone').innerText()).toMatch(/disconnected|kick/i);
    // Its pane keeps the last screen but says it is disconnected, with no lease controls left.
    expect(await paneOf(page, other).getByTestId('pane-gone').innerText()).toMatch(/Disconnected/);
    expect(await paneOf(page, other).getByRole('button', { name: 'Release' }).count()).toBe(0);
    await screenshot(page, 'connect-hub-03-kicked');
    // Remove takes the group and its panes away.
    await group(page).getByRole('button', { name: 'remove' }).click();
    await expect.poll(() => group(page).count()).toBe(0);
    expect(await paneOf(page, other).count()).toBe(0);
  }, 60_000);

  it('a bad link, a revoked invite and a hub that is down each get a clear error in the dialog', async () => {
    const page = await freshOwnerPage();
    const error = page.getByTestId('connect-hub-error');
    await connect(page, 'https://127.0.0.1:1/ui/#nothing');
    await expect.poll(() => error.innerText()).toContain('carries no invite token');
    const revoked = await ownerB.createInvite('observer', { session: shared });
    await ownerB.revokeInvite(revoked.id);
    await page.getByLabel('Invite link').fill(revoked.link);
    await page.getByTestId('connect-hub-dialog').getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => error.innerText()).toMatch(/Invalid|unauthorized|revoked|expired/i);
    const down = revoked.link.replace(/:\d+\/ui/, ':9/ui');
    await page.getByLabel('Invite link').fill(down);
    await page.getByTestId('connect-hub-dialog').getByRole('button', { name: 'Connect' }).click();
    await expect.poll(() => error.innerText()).toContain('Cannot reach the hub');
    expect(await group(page).count()).toBe(0);
    await screenshot(page, 'connect-hub-04-bad-link');
  }, 60_000);
});
