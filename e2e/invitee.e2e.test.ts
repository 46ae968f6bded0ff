// Issue 10, ring 4: invitees in the web UI over the hub's LAN listener (TLS, bound to 127.0.0.1 here), in
// Debian's Chromium pinned to the hub's key. An observer invitee sees the screen at once and cannot type;
// a driver invitee types, asks for the lease and hands it over; both learn why when kicked or revoked.
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectHub } from '../src-cli/connect.js';
import { type Hub } from '../src-hub/index.js';
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { waitForScreen } from '../test/helpers.js';
import { startLanHub, type LanHub } from './lanHub.js';
import { browserMissing, screenshot } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] invitee journeys skipped: ${missing}`);

let lan: LanHub | undefined;
let hub: Hub;
let owner: HubClient;
let browser: Browser;
let session = '';
const contexts: BrowserContext[] = [];
const rows = (page: Page) => page.locator(`[data-pane="${session}"] .xterm-rows`);
const pane = (page: Page) => page.locator(`[data-pane="${session}"]`);
const screenText = async () => (await owner.screen(session)).lines.join('\n');

/** A fresh browser (no cookie) opening an invite link, as the invitee would. */
async function openInvite(role: 'observer' | 'driver', name: string) {
  const invite = await owner.createInvite(role, { session, name });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(invite.link.replace('#', '?webgl=0#'));
  return { page, invite };
}

/** The client id the hub gave a browser that joined with `invite` (from `invite.list`). */
async function clientOf(inviteId: string): Promise<string> {
  let found = '';
  await expect
    .poll(async () => {
      const { invites } = await owner.listInvites();
      found = invites.find((entry) => entry.id === inviteId)?.clients[0]?.clientId ?? '';
      return found;
    })
    .not.toBe('');
  return found;
}

describe.skipIf(missing !== undefined)('invitees in the web UI over TLS (Chromium, real hub)', () => {
  beforeAll(async () => {
    lan = await startLanHub('switchboard-e2e-lan-', 'on the screen before anyone came');
    ({ hub, owner, session, browser } = lan);
  }, 60_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await lan?.close();
  });

  it('an observer invitee sees the screen at once, by name, and cannot type', async () => {
    const { page } = await openInvite('observer', 'Ada');
    await expect
      .poll(() =>
        rows(page)
          .innerText()
          .catch(() => ''),
      )
      .toContain('on the screen before anyone came');
    await expect.poll(() => pane(page).getByTestId('presence').innerText()).toContain('observer');
    expect(page.url()).not.toContain('invite=');
    expect(await pane(page).getByRole('button', { name: 'Co-drive' }).isDisabled()).toBe(true);
    await pane(page).locator('.xterm').click();
    await page.keyboard.type('observer typing');
    await page.keyboard.press('Enter');
    await pane(page).getByTestId('input-hint').waitFor();
    expect(await pane(page).getByTestId('input-hint').innerText()).toContain('This invite is for watching');
    await owner.input(session, 'live after the observer came\r');
    await expect.poll(() => rows(page).innerText()).toContain('live after the observer came');
    expect(await screenText()).not.toContain('observer typing');
    await screenshot(page, 'lan-01-observer-invitee');
  }, 45_000);

  it('a driver invitee types; asks for the lease held by another, which is handed over; hands it on in turn', async () => {
    const { page } = await openInvite('driver', 'Bob');
    await expect
      .poll(() =>
        rows(page)
          .innerText()
          .catch(() => ''),
      )
      .toContain('on the screen before anyone came');
    await pane(page).locator('.xterm').click();
    await page.keyboard.type('bob was here');
    await page.keyboard.press('Enter');
    await waitForScreen(owner, session, 'bob was here');
    await expect.poll(() => pane(page).getByTestId('lease-holder').innerText()).toContain('you');

    // Another driver (a CLI over the LAN) asks; Bob's page shows who asks, and hands the lease over.
    const other = await owner.createInvite('driver', { session, name: 'Cleo' });
    const cleo = await connectHub(
      { url: hub.lan!.url, token: other.token },
      { fingerprint: hub.lan!.fingerprint, autoAck: true },
    );
    try {
      const heard: HubMessage[] = [];
      cleo.onMessage((message) => heard.push(message));
      await cleo.attach(session, 'drive');
      await expect(cleo.input(session, 'cleo')).rejects.toMatchObject({ code: 'lease_held' });
      await cleo.leaseRequest(session);
      const prompt = pane(page).getByTestId('lease-request');
      await expect.poll(() => prompt.innerText().catch(() => '')).toContain('Cleo');
      await screenshot(page, 'lan-02-driver-asked-for-the-lease');
      await prompt.getByRole('button', { name: 'Hand over' }).click();
      await expect
        .poll(() =>
          heard.some((message) => message.type === 'lease.changed' && message.holder === cleo.self!.clientId),
        )
        .toBe(true);
      await expect.poll(() => pane(page).getByTestId('lease-holder').innerText()).toContain('Cleo');
      // Now Bob is the one without the lease: his keys are held back, and he can ask.
      await pane(page).locator('.xterm').click();
      await page.keyboard.type('x');
      await pane(page).getByTestId('input-hint').waitFor();
      expect(await pane(page).getByTestId('input-hint').innerText()).toContain('Cleo holds the input lease');
      await pane(page).getByRole('button', { name: 'Request control' }).click();
      await expect
        .poll(() =>
          heard.some((message) => message.type === 'lease.changed' && message.reason === 'requested'),
        )
        .toBe(true);
      const bob = (await owner.listInvites()).invites.find((entry) => entry.name === 'Bob')!.clients[0]!
        .clientId;
      await cleo.leaseGrant(session, bob);
      await expect.poll(() => pane(page).getByTestId('lease-holder').innerText()).toContain('you');
    } finally {
      cleo.close();
    }
  }, 60_000);

  it('a kicked invitee is told so and is not reconnected behind the owner’s back', async () => {
    const { page, invite } = await openInvite('observer', 'Kim');
    await expect
      .poll(() =>
        rows(page)
          .innerText()
          .catch(() => ''),
      )
      .toContain('on the screen before anyone came');
    await owner.kick(await clientOf(invite.id));
    await page.getByTestId('login').waitFor();
    expect(await page.getByTestId('login').innerText()).toContain("The hub's owner disconnected you.");
    await new Promise((done) => setTimeout(done, 1500));
    expect((await owner.listInvites()).invites.find((entry) => entry.id === invite.id)?.clients).toEqual([]);
    await screenshot(page, 'lan-03-kicked');
    // The invite still stands: Reconnect brings Kim back.
    await page.getByRole('button', { name: 'Reconnect' }).click();
    await expect
      .poll(() =>
        rows(page)
          .innerText()
          .catch(() => ''),
      )
      .toContain('on the screen before anyone came');
  }, 45_000);

  it("the owner's Share dialog makes a LAN link, lists who joined with it, and revokes it", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${hub.url}${hub.createLoginPath().replace('#', '?webgl=0#')}`); // the owner: loopback
    // The per-session activity list: who attached, who typed how much (from the database's event table).
    await page.getByTestId('session-shared').click();
    await pane(page).getByRole('button', { name: 'Activity' }).click();
    await expect
      .poll(() => pane(page).getByTestId('activity').innerText())
      .toMatch(/Bob\s+typed \d+ characters/);
    expect(await pane(page).getByTestId('activity').innerText()).toContain('Ada attached as observer');
    await screenshot(page, 'lan-05-activity');
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.getByTestId('lan-status').innerText()).toContain(hub.lan!.url);
    await dialog.getByLabel('Name').fill('Dee');
    await dialog.getByRole('button', { name: 'Make a link' }).click();
    const link = await dialog.getByTestId('invite-link').inputValue();
    expect(link).toMatch(new RegExp(`^${hub.lan!.url}/ui/#invite=sbi_[\\w-]+&fp=${hub.lan!.fingerprint}$`));
    const guest = await browser.newContext();
    contexts.push(guest);
    const guestPage = await guest.newPage();
    await guestPage.goto(link.replace('#', '?webgl=0#'));
    await guestPage.getByTestId(`session-shared`).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    const row = page.getByTestId('invite-list').locator('li', { hasText: 'Dee' });
    await expect.poll(() => row.innerText()).toContain('connected: web from 127.0.0.1');
    expect(await row.innerText()).toContain('· 1 join ·'); // the login counts, not each connection ticket
    await screenshot(page, 'lan-05-share-dialog');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await expect
      .poll(() =>
        page
          .getByTestId('invite-list')
          .innerText()
          .catch(() => ''),
      )
      .not.toContain('Dee');
    await guestPage.getByTestId('login').waitFor();
    // The link comes with its QR code.
    await dialog.getByLabel('Name').fill('Eve');
    await dialog.getByRole('button', { name: 'Make a link' }).click();
    expect(await dialog.getByTestId('invite-qr').getAttribute('src')).toMatch(/^data:image\/gif;base64,/);

    // The LAN toggle: off closes the listener, on opens it again (here on loopback, any free port).
    const fingerprint = hub.lan!.fingerprint;
    await dialog.getByRole('button', { name: 'Stop sharing on the LAN' }).click();
    await expect.poll(() => dialog.getByTestId('lan-status').innerText()).toContain('Not on the LAN');
    expect(hub.lan).toBeUndefined();
    await dialog.getByLabel('LAN address').fill('127.0.0.1');
    await dialog.getByRole('button', { name: 'Share on the LAN' }).click();
    await expect
      .poll(() => dialog.getByTestId('lan-status').innerText())
      .toContain('On the LAN at https://127.0.0.1:');
    expect(hub.lan?.fingerprint).toBe(fingerprint); // the same certificate: links keep their fp
    await screenshot(page, 'lan-06-share-dialog-link');
  }, 45_000);

  it('a revoked invitee is disconnected at once, told why, and cannot come back', async () => {
    const { page, invite } = await openInvite('driver', 'Rex');
    await expect
      .poll(() =>
        rows(page)
          .innerText()
          .catch(() => ''),
      )
      .toContain('on the screen before anyone came');
    await clientOf(invite.id);
    await owner.revokeInvite(invite.id);
    await page.getByTestId('login').waitFor({ timeout: 5_000 });
    expect(await page.getByTestId('login').innerText()).toContain('revoked');
    await page.reload();
    await page.getByTestId('login').waitFor();
    expect(await page.getByTestId('login').innerText()).toContain('revoked');
    expect(await page.getByTestId('invitee-help').innerText()).toContain(
      'Open the invite link they sent you',
    );
    await screenshot(page, 'lan-04-revoked');
  }, 45_000);
});
