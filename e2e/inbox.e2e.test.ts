// Issue 11, ring 4: the Inbox panel in Debian's Chromium against a real hub whose sessions ask through
// Claude Code's hooks (the fake agent's `ASK` and `NOTIFY`, posted to the hub as Claude Code posts them).
// The owner answers from the keyboard (allow, deny with a message, a reply); the delegation graph marks the
// nodes that wait; a driver invitee's browser answers over the LAN listener; an observer's is refused.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from '../bench/lib/chromium.mjs';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import { spkiHash } from '../src-hub/net/certificate.js';
import type { HubClient, InboxChanged, InboxItem } from '../src-protocol/index.js';
import { waitForScreen } from '../test/helpers.js';
import { browserMissing, screenshot, WEB_UI_DIR } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] inbox journeys skipped: ${missing}`);

const FAKE_CLAUDE = join(import.meta.dirname, '..', 'test', 'fixtures', 'fake-claude.mjs');
let stateDir: string;
let workspace: string;
let hub: Hub;
let owner: HubClient;
let browser: Browser;
const changes: InboxChanged[] = [];
const contexts: BrowserContext[] = [];

/** A fake Claude session that asks to run `command` through the hook; resolves with its open item. */
async function asking(name: string, command: string): Promise<InboxItem> {
  const session = await owner.createSession({
    name,
    cwd: workspace,
    prompt: `ASK Bash ${JSON.stringify({ command, description: `${name} wants this` })}`,
  });
  let item: InboxItem | undefined;
  await expect
    .poll(() => (item = changes.find((change) => change.item.session === session.id)?.item))
    .toBeDefined();
  return item!;
}

const isOpen = async (item: InboxItem) => (await owner.inbox()).some((open) => open.id === item.id);

async function page(link: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  contexts.push(context);
  const opened = await context.newPage();
  await opened.goto(link.replace('#', '?webgl=0#'));
  await opened.locator('.topbar').waitFor();
  return opened;
}

const ownerPage = () => page(`${hub.url}${hub.createLoginPath()}`);
const rows = (on: Page) => on.getByTestId('inbox-item');
const selectedRow = (on: Page) => on.locator('[data-testid="inbox-item"][aria-selected="true"]');

/** Opens the Inbox panel from the keyboard; the panel takes the focus, so its keys work at once. */
async function openInbox(on: Page): Promise<void> {
  await on.keyboard.press('Control+Shift+X');
  await on.getByTestId('inbox').waitFor();
}

async function setTheme(on: Page, theme: 'dark' | 'light'): Promise<void> {
  if ((await on.evaluate(() => document.documentElement.dataset.theme)) !== theme)
    await on.keyboard.press('Control+Shift+L'); // the shortcut leaves the focus in the panel
}

describe.skipIf(missing !== undefined)('the Inbox panel (Chromium, real hub, hook-posted requests)', () => {
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-inbox-'));
    workspace = mkdtempSync(join(tmpdir(), 'switchboard-e2e-inbox-repo-'));
    hub = createHub({
      stateDir,
      logger: memoryLogger(),
      webUiDir: WEB_UI_DIR,
      // Held long enough that no item expires while a test looks at it.
      claude: { binary: FAKE_CLAUDE, permissionHoldSeconds: 300 },
    });
    await hub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
    owner = await hub.connect();
    owner.onMessage((message) => message.type === 'inbox.changed' && void changes.push(message));
    const spki = spkiHash(readFileSync(join(stateDir, 'lan-cert.pem'), 'utf8'));
    browser = await chromium.launch(chromiumLaunchOptions({ spki }));
  }, 60_000);

  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
  });

  afterAll(async () => {
    await browser?.close();
    owner?.close();
    await hub?.close();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  });

  it('the owner answers from the keyboard: j/k move, a allows, d denies with a message, Enter opens', async () => {
    const first = await asking('builder', 'touch allowed.txt');
    const second = await asking('cleaner', 'rm -rf build');
    const on = await ownerPage();
    await expect.poll(() => on.getByTestId('inbox-count').innerText()).toBe('2');
    await openInbox(on);
    await expect.poll(() => rows(on).count()).toBe(2);
    // Oldest first, the oldest selected, with what it asks in full.
    expect(await selectedRow(on).getAttribute('data-item')).toBe(first.id);
    expect(await selectedRow(on).getByTestId('inbox-command').innerText()).toBe('$ touch allowed.txt');
    expect(await selectedRow(on).innerText()).toContain('builder wants this');
    await setTheme(on, 'dark');
    await screenshot(on, 'inbox-01-panel-dark');
    await setTheme(on, 'light');
    await screenshot(on, 'inbox-02-panel-light');
    await setTheme(on, 'dark');

    await on.keyboard.press('j');
    expect(await selectedRow(on).getAttribute('data-item')).toBe(second.id);
    await on.keyboard.press('k');
    expect(await selectedRow(on).getAttribute('data-item')).toBe(first.id);

    await on.keyboard.press('a');
    await waitForScreen(owner, first.session, 'PERMISSION allow');
    await expect.poll(() => isOpen(first)).toBe(false);
    await expect
      .poll(() => on.getByTestId('inbox-status').innerText())
      .toContain('builder: Allowed Bash once');
    // The answered item leaves; the next one is selected for the next key.
    await expect.poll(() => rows(on).count()).toBe(1);
    expect(await selectedRow(on).getAttribute('data-item')).toBe(second.id);

    await on.keyboard.press('d');
    const message = selectedRow(on).getByTestId('inbox-text');
    await message.waitFor();
    expect(await message.inputValue()).toBe(''); // the d itself typed nothing
    await message.pressSequentially('Use make clean instead.');
    await screenshot(on, 'inbox-03-deny-message');
    await on.keyboard.press('Enter');
    await waitForScreen(owner, second.session, 'PERMISSION deny Use make clean instead.');
    await expect.poll(() => on.getByTestId('inbox-empty').isVisible()).toBe(true);
    expect(await on.getByTestId('inbox-button').innerText()).not.toMatch(/\d/);
    expect(await on.getByTestId('inbox-recent').innerText()).toContain('cleaner: Bash: rm -rf build');
    await screenshot(on, 'inbox-04-answered');

    // Enter opens the selected item's session in a pane.
    const third = await asking('opener', 'ls');
    await expect.poll(() => selectedRow(on).getAttribute('data-item')).toBe(third.id);
    await on.getByTestId('inbox').focus();
    await on.keyboard.press('Enter');
    await on.locator(`[data-pane="${third.session}"]`).waitFor();
    expect(await isOpen(third)).toBe(true); // opening is not answering
    await owner.answer(third.id, { action: 'allow' });
    await expect.poll(() => rows(on).count()).toBe(0);
  }, 90_000);

  it('a question is answered with r: the reply is typed into the session', async () => {
    const session = await owner.createSession({
      name: 'asker',
      cwd: workspace,
      prompt: 'NOTIFY agent_needs_input Which branch should I use?',
    });
    let item: InboxItem | undefined;
    await expect
      .poll(() => (item = changes.find((change) => change.item.session === session.id)?.item))
      .toBeDefined();
    expect(item!.kind).toBe('question');
    const on = await ownerPage();
    await openInbox(on);
    await expect.poll(() => selectedRow(on).getAttribute('data-item')).toBe(item!.id);
    expect(await selectedRow(on).innerText()).toContain('Which branch should I use?');
    await on.keyboard.press('r');
    const reply = selectedRow(on).getByTestId('inbox-text');
    await reply.waitFor();
    expect(await reply.inputValue()).toBe(''); // the r itself typed nothing
    await reply.pressSequentially('use main');
    await screenshot(on, 'inbox-10-question-reply');
    await on.keyboard.press('Enter');
    await waitForScreen(owner, session.id, 'echo: use main');
    await expect.poll(() => isOpen(item!)).toBe(false);
    await expect.poll(() => on.getByTestId('inbox-status').innerText()).toContain('Typed your reply');
  }, 60_000);

  it('a delegated task asks: the item names the task and its chain; the graph marks the node, and the mark opens it', async () => {
    const delegated = await owner.request({
      type: 'task.delegate',
      title: 'deploy the docs',
      instructions: `ASK Bash ${JSON.stringify({ command: 'npm run deploy' })}`,
      cwd: workspace,
    });
    if (delegated.type !== 'task.result') throw new Error(`task.delegate answered ${delegated.type}`);
    const { toSession, toName } = delegated.task;
    let item: InboxItem | undefined;
    await expect
      .poll(() => (item = changes.find((change) => change.item.session === toSession)?.item))
      .toBeDefined();
    const on = await ownerPage();
    await on.getByRole('button', { name: 'Delegation graph' }).click();
    const node = on.getByTestId(`graph-node-${toName}`);
    // The task's deadline keeps running while the session waits on the inbox: the mark says how long is left.
    await expect
      .poll(() => node.getByTestId('graph-node-inbox').innerText())
      .toMatch(/^1 needs you · deadline in \d+ (s|min|h)$/);
    await expect.poll(() => on.getByTestId('graph').getAttribute('aria-busy')).toBe('false');
    await screenshot(on, 'inbox-05-graph-mark');
    await node.getByTestId('graph-node-inbox').click();
    await expect.poll(() => selectedRow(on).getAttribute('data-item')).toBe(item!.id);
    expect(await selectedRow(on).locator('.inbox-task').innerText()).toContain('deploy the docs');
    expect(await selectedRow(on).getByTestId('inbox-chain').innerText()).toBe(`owner → ${toName}`);
    // The panel narrows the graph, which fits its nodes again: wait for that before the picture.
    await expect.poll(() => on.getByTestId('graph').getAttribute('aria-busy')).toBe('false');
    await screenshot(on, 'inbox-06-task-and-chain');
    await owner.answer(item!.id, { action: 'deny' });
    await expect.poll(() => node.getByTestId('graph-node-inbox').count()).toBe(0);
  }, 60_000);

  it("a driver invitee's browser answers its session's item; the answer is attributed to it", async () => {
    const item = await asking('shared', 'npm test');
    const invite = await owner.createInvite('driver', { session: item.session, name: 'Bob' });
    const on = await page(invite.link);
    await expect.poll(() => on.getByTestId('inbox-count').innerText()).toBe('1');
    await openInbox(on);
    expect(await selectedRow(on).getByRole('button', { name: 'Allow', exact: true }).isDisabled()).toBe(
      false,
    );
    await on.keyboard.press('a');
    await waitForScreen(owner, item.session, 'PERMISSION allow');
    const removed = changes.find((change) => change.item.id === item.id && change.kind === 'removed');
    expect(removed?.answeredBy).toMatchObject({ name: 'Bob', role: 'driver' });
    const events = await owner.activity(item.session);
    expect(events.find((event) => event.kind === 'inbox.answered')?.data).toMatchObject({
      item: item.id,
      by: 'Bob',
    });
    await screenshot(on, 'inbox-07-driver-answered');
  }, 60_000);

  it('an observer invitee sees the item read-only, with the reason; its keys answer nothing', async () => {
    const item = await asking('watched', 'make deploy');
    const invite = await owner.createInvite('observer', { session: item.session, name: 'Olga' });
    const on = await page(invite.link);
    await expect.poll(() => on.getByTestId('inbox-count').innerText()).toBe('1');
    await openInbox(on);
    expect(await selectedRow(on).getByRole('button', { name: 'Allow', exact: true }).isDisabled()).toBe(true);
    expect(await selectedRow(on).getByRole('button', { name: 'Deny…' }).isDisabled()).toBe(true);
    expect(await selectedRow(on).getByTestId('inbox-readonly').innerText()).toContain('You joined to watch');
    await on.keyboard.press('a');
    await on.keyboard.press('d');
    await expect.poll(() => on.getByTestId('inbox-status').innerText()).toContain('You joined to watch');
    expect(await selectedRow(on).getByTestId('inbox-text').count()).toBe(0);
    await setTheme(on, 'light');
    await screenshot(on, 'inbox-08-observer-read-only-light');
    expect(await isOpen(item)).toBe(true);
    await owner.answer(item.id, { action: 'allow' });
    await expect.poll(() => rows(on).count()).toBe(0);
  }, 60_000);
});
