// Ring 4: the web UI in Debian's Chromium against a real hub running the fake Claude agent. Each journey
// asserts what the hub saw, not only what the page shows; screenshots land in test-results/screenshots.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
if (missing) console.log(`[e2e] browser journeys skipped: ${missing}`);

let uiHub: UiHub;
let browser: Browser;
let page: Page;
let sessionId = '';

const pane = () => page.locator(`[data-pane="${sessionId}"]`);
const call = (tool: string, args: unknown) => `CALL ${tool} ${JSON.stringify(args)}`;

describe.skipIf(missing !== undefined)('web UI journeys (Chromium, real hub, fake agent)', () => {
  beforeAll(async () => {
    uiHub = await startUiHub();
    browser = await launchChromium();
    ({ page } = await ownerPage(browser, uiHub));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await uiHub?.close();
  });

  it('creates a Claude session from the new-session dialog', async () => {
    await page.getByRole('button', { name: '+ New' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Directory').fill(uiHub.workspace);
    await dialog.getByLabel('Name').fill('ui-made');
    await dialog.getByLabel('First prompt').fill('hello from the dialog');
    await screenshot(page, '01-new-session-dialog');
    await dialog.getByRole('button', { name: 'Start session' }).click();
    await expect.poll(() => uiHub.hub.registry.list().map((session) => session.name)).toContain('ui-made');
    const session = uiHub.hub.registry.resolve('ui-made');
    sessionId = session.id;
    expect(session.spec.cwd).toBe(uiHub.workspace);
    expect(session.kind).toBe('claude');
    await expect
      .poll(() => terminalText(page, sessionId), { timeout: 15_000 })
      .toContain('echo: hello from the dialog');
    await expect
      .poll(() => page.locator('[data-testid="session-ui-made"] .status').getAttribute('data-status'))
      .toBe('idle');
  }, 30_000);

  it('co-drive: typing in the pane reaches the session', async () => {
    await pane().locator('.xterm').click();
    await page.keyboard.type('typed in the browser');
    await page.keyboard.press('Enter');
    await waitForScreen(uiHub.owner, sessionId, 'echo: typed in the browser');
    await expect.poll(() => terminalText(page, sessionId)).toContain('echo: typed in the browser');
    await screenshot(page, '02-co-drive');
  }, 30_000);

  it('observe: keystrokes are blocked with a visible hint and never reach the session', async () => {
    await pane().getByRole('button', { name: 'Observe' }).click();
    await expect.poll(() => pane().getByTestId('presence').innerText()).toContain('observer');
    await pane().locator('.xterm').click();
    await page.keyboard.type('should not arrive');
    await page.keyboard.press('Enter');
    const hint = pane().getByTestId('input-hint');
    await hint.waitFor();
    expect(await hint.innerText()).toContain('You are observing');
    await screenshot(page, '03-observer-hint');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await uiHub.owner.screen(sessionId)).lines.join('\n')).not.toContain('should not arrive');
    await pane().getByRole('button', { name: 'Co-drive' }).click();
    await expect.poll(() => pane().getByTestId('presence').innerText()).toContain('owner');
  }, 30_000);

  it('a second browser attached late shows the same screen, and both see each other', async () => {
    const second = await ownerPage(browser, uiHub);
    try {
      const row = second.page.getByTestId('session-ui-made');
      await row.hover();
      await row.getByRole('button', { name: 'watch' }).click();
      const lines = async (target: Page) =>
        (await terminalText(target, sessionId))
          .split('\n')
          .map((line) => line.trimEnd())
          .filter(Boolean);
      await expect.poll(() => lines(second.page)).toContain('echo: typed in the browser');
      expect(await lines(second.page)).toEqual(await lines(page));
      await expect
        .poll(() => page.locator(`[data-pane="${sessionId}"] [data-testid="presence"] li`).count())
        .toBe(2);
      expect(
        await second.page.locator(`[data-pane="${sessionId}"] [data-testid="presence"]`).innerText(),
      ).toContain('observer');
      await screenshot(second.page, '04-second-viewer');
      await screenshot(page, '04-first-viewer-sees-two');
    } finally {
      await second.context.close();
    }
  }, 30_000);

  it('an invited driver logs in with the invite, types under the lease, and the owner takes over and grants it back', async () => {
    const invite = await uiHub.owner.createInvite('driver', { session: sessionId });
    const guest = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    try {
      const guestPage = await guest.newPage();
      await guestPage.goto(`${uiHub.url}/ui/?webgl=0`);
      await guestPage.getByLabel('Or paste an invite token').fill(invite.token);
      await guestPage.getByRole('button', { name: 'Join' }).click();
      await guestPage.getByTestId('session-ui-made').click();
      const guestPane = guestPage.locator(`[data-pane="${sessionId}"]`);
      await expect.poll(() => guestPane.getByTestId('presence').innerText()).toContain('driver');
      expect(await guestPage.getByRole('button', { name: '+ New' }).count()).toBe(0); // owner-only
      await guestPane.locator('.xterm').click();
      await guestPage.keyboard.type('from the guest');
      await guestPage.keyboard.press('Enter');
      await waitForScreen(uiHub.owner, sessionId, 'echo: from the guest');
      await expect.poll(() => guestPane.getByTestId('lease-holder').innerText()).toContain('you');
      await expect.poll(() => pane().getByTestId('lease-holder').innerText()).toContain('web');
      await screenshot(page, '05-owner-sees-guest-lease');

      await pane().getByRole('button', { name: 'Take over' }).click();
      await expect.poll(() => pane().getByTestId('lease-holder').innerText()).toContain('you');
      await guestPane.locator('.xterm').click();
      await guestPage.keyboard.type('while taken');
      await guestPane.getByTestId('input-hint').waitFor();
      expect(await guestPane.getByTestId('input-hint').innerText()).toContain('Request control');
      await screenshot(guestPage, '05-guest-lease-taken');
      expect((await uiHub.owner.screen(sessionId)).lines.join('\n')).not.toContain('while taken');

      await guestPane.getByRole('button', { name: 'Request control' }).click();
      await pane()
        .getByRole('button', { name: /^Grant to .*web/ }) // the invite's name, then its client (issue 10)
        .click();
      await expect.poll(() => guestPane.getByTestId('lease-holder').innerText()).toContain('you');
      await guestPage.getByRole('button', { name: 'Release' }).click();
      await expect.poll(() => pane().getByTestId('lease-holder').innerText()).toContain('nobody');
    } finally {
      await guest.close();
    }
  }, 45_000);

  it('a delegation made through the CLI appears as an edge and turns done, with a notification', async () => {
    await page.getByRole('button', { name: 'Delegation graph' }).click();
    // The Notification API as a browser with permission granted and the page in the background has it.
    await page.evaluate(() => {
      const shown: string[] = [];
      class FakeNotification {
        static permission = 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push(`${title} | ${options?.body ?? ''}`);
        }
      }
      Object.assign(window, { Notification: FakeNotification, shownNotifications: shown });
      document.hasFocus = () => false;
    });
    const work = call('report_result', { status: 'done', summary: 'checked: all good' });
    const delegation = await uiHub.cli(
      'delegate',
      '--to',
      sessionId,
      '--title',
      'check-things',
      '--json',
      `SLEEP 1500\n${work}`,
    );
    expect(delegation.stderr).toBe('');
    const delegated = { task: JSON.parse(delegation.stdout) as { id: string } };
    const edge = page.getByTestId('edge-check-things');
    await edge.waitFor();
    await expect.poll(() => page.locator('.react-flow__edge').count()).toBe(1);
    await screenshot(page, '06-graph-running');
    await expect.poll(() => edge.getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    await expect
      .poll(() => page.locator('.react-flow__edge-text').first().textContent())
      .toContain('check-things · done');
    expect(
      uiHub.hub.router.list({ session: null, name: 'owner' }).find((task) => task.id === delegated.task.id)
        ?.status,
    ).toBe('done');
    await page.getByTestId('unread').waitFor();
    expect(
      await page.evaluate(() => (window as unknown as { shownNotifications: string[] }).shownNotifications),
    ).toEqual(['Task done: check-things | checked: all good']);
    await screenshot(page, '07-graph-done');

    await edge.getByRole('button').click();
    const inspector = page.getByTestId('task-inspector');
    await expect.poll(() => inspector.getByTestId('task-summary').innerText()).toBe('checked: all good');
    expect(await inspector.innerText()).toContain('SLEEP 1500');
    await screenshot(page, '08-task-inspector');

    await page.getByTestId('bell').click();
    const notice = page.getByTestId('notice').first();
    expect(await notice.innerText()).toContain('Task done: check-things');
    await screenshot(page, '09-notifications');
    await page.getByTestId('bell').click();
  }, 45_000);

  it('clicking a graph node focuses its pane', async () => {
    await page.getByRole('button', { name: 'Delegation graph' }).click();
    // The last journey left the task inspector open: the graph beside it kept the viewport fitted to its
    // full width, so ui-made lay past its right edge, under the inspector (screenshot 08). Close it and fit
    // (⤢), as a person who wants to click the node would, so the node is in view.
    await page.getByTestId('task-inspector').getByRole('button', { name: 'Close task' }).click();
    await page.getByTestId('task-inspector').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Fit the graph' }).click();
    // Nodes move while the graph re-fits (after a resize, a new session); a click then can land on the
    // empty pane. The graph is aria-busy until its fit animation ends.
    await page.locator('[data-testid="graph"][aria-busy="false"]').waitFor({ timeout: 15_000 });
    const node = page.getByTestId('graph-node-ui-made');
    // Missing from the graph, the failure names what the graph and the hub had instead of a bare timeout.
    await node.waitFor({ timeout: 15_000 }).catch(async (error: Error) => {
      const drawn = await page
        .locator('[data-testid^="graph-node-"]')
        .evaluateAll((all) => all.map((one) => one.getAttribute('data-testid')));
      const listed = uiHub.hub.registry.list().map((session) => session.name);
      throw new Error(
        `${error.message}\ngraph nodes: ${drawn.join(', ')}; hub sessions: ${listed.join(', ')}`,
      );
    });
    const graph = (await page.getByTestId('graph').boundingBox())!;
    const box = (await node.boundingBox())!;
    expect(box.x >= graph.x && box.x + box.width <= graph.x + graph.width, 'ui-made in view').toBe(true);
    // A bounded click fails with Playwright's reason (hidden, covered, moving) rather than a bare timeout.
    await node.click({ timeout: 15_000 });
    await expect
      .poll(() => page.getByRole('button', { name: 'Terminals' }).getAttribute('aria-pressed'))
      .toBe('true');
    await pane().locator('.xterm').waitFor({ timeout: 10_000 });
  }, 40_000);

  it('shows four panes in a grid, in the dark theme', async () => {
    for (const name of ['build', 'tests', 'logs']) {
      await uiHub.owner.createSession({
        name,
        cwd: uiHub.workspace,
        command: 'bash',
        args: [
          '--norc',
          '-c',
          `for i in 1 2 3; do printf '\\e[3%dm%s line %d\\e[0m\\n' $i ${name} $i; done; exec bash --norc`,
        ],
      });
      const row = page.getByTestId(`session-${name}`);
      await row.waitFor();
      await row.click();
    }
    await page.getByRole('button', { name: '⊞' }).click();
    const onScreen = () =>
      page
        .locator('.pane .xterm')
        .evaluateAll((nodes) => nodes.filter((node) => node.getBoundingClientRect().left >= 0).length);
    await expect.poll(onScreen).toBe(4);
    await page.keyboard.press('Control+Shift+L');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const logs = uiHub.hub.registry.resolve('logs').id;
    await expect.poll(() => terminalText(page, logs)).toContain('logs line 3');
    await screenshot(page, '10-grid-dark');
    await page.keyboard.press('Control+Shift+L');
  }, 40_000);

  it('work delegated into worktrees shows its branch, then merges from the inspector; a conflict is listed', async () => {
    const repo = join(uiHub.workspace, 'app');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=e2e', '-c', 'user.email=e2e@example.invalid', ...args], {
        cwd: repo,
        encoding: 'utf8',
      });
    git('init', '-q', '-b', 'main');
    writeFileSync(join(repo, 'README.md'), 'base\n');
    git('add', '.');
    git('commit', '-q', '-m', 'base');
    const delegate = async (title: string, text: string) => {
      const report = call('report_result', { status: 'done', summary: `${title} written` });
      const result = await uiHub.cli(
        'delegate',
        '--cwd',
        repo,
        '--worktree',
        '--title',
        title,
        '--json',
        `WRITE README.md ${text}\n${report}`,
      );
      expect(result.stderr).toBe('');
      return JSON.parse(result.stdout) as { id: string; toName: string };
    };
    const first = await delegate('readme-one', 'version one');
    const second = await delegate('readme-two', 'version two');
    const status = (id: string) =>
      uiHub.hub.router.list({ session: null, name: 'owner' }).find((task) => task.id === id)?.status;
    await expect.poll(() => status(first.id), { timeout: 20_000 }).toBe('done');
    await expect.poll(() => status(second.id), { timeout: 20_000 }).toBe('done');

    // The sidebar groups both under the repository, with branch and (re-read after the turn) dirty state.
    const row = page.getByTestId(`session-${first.toName}`);
    await expect.poll(() => row.getByTestId('branch').innerText()).toContain(`switchboard/${first.toName}`);
    await expect
      .poll(() => row.getByTestId('branch').innerText(), { timeout: 10_000 })
      .toContain('1 uncommitted');
    await page.getByRole('button', { name: 'Delegation graph' }).click();
    await expect
      .poll(() => page.getByTestId(`graph-node-${second.toName}`).getByTestId('branch').innerText())
      .toContain(`switchboard/${second.toName}`);

    await page.getByTestId('edge-readme-one').getByRole('button').click();
    const inspector = page.getByTestId('task-inspector');
    await expect.poll(() => inspector.getByTestId('diff-summary').innerText()).toBe('1 file changed, +1 −1');
    await screenshot(page, '12-worktree-merge');
    await inspector.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => inspector.getByTestId('merge-outcome').innerText()).toContain('Merged');
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('version one\n');

    await page.getByTestId('edge-readme-two').getByRole('button').click();
    await inspector.getByRole('button', { name: 'Merge', exact: true }).click();
    await expect.poll(() => inspector.getByTestId('conflicts').innerText()).toBe('README.md');
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toBe('version one\n');
    expect(git('status', '--porcelain')).toBe('');
    await screenshot(page, '13-worktree-conflict');

    // Discarding asks first; then the branch and its worktree are gone.
    await inspector.getByRole('button', { name: 'Discard…' }).click();
    await inspector.getByRole('button', { name: 'Discard branch' }).click();
    await expect.poll(() => inspector.getByTestId('merge-outcome').innerText()).toContain('Discarded');
    expect(git('branch', '--list', `switchboard/${second.toName}`)).toBe('');

    // Uncommitted work: the hub refuses, the inspector says so and asks again before deleting it.
    const third = await delegate('readme-three', 'work in progress');
    await expect.poll(() => status(third.id), { timeout: 20_000 }).toBe('done');
    await page.getByTestId('edge-readme-three').getByRole('button').click();
    await inspector.getByRole('button', { name: 'Discard…' }).click();
    await inspector.getByRole('button', { name: 'Discard branch' }).click();
    await expect.poll(() => inspector.getByRole('alert').innerText()).toContain('uncommitted');
    const worktree = uiHub.hub.registry.resolve(third.toName).info().worktree!.path;
    expect(readFileSync(join(worktree, 'README.md'), 'utf8')).toBe('work in progress\n');
    await inspector.getByRole('button', { name: 'Discard anyway' }).click();
    await expect.poll(() => inspector.getByTestId('merge-outcome').innerText()).toContain('Discarded');
    expect(git('branch', '--list', `switchboard/${third.toName}`)).toBe('');
  }, 60_000);

  it('a browser without a login sees how to get one, and the login link works only once', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    try {
      const fresh = await context.newPage();
      const path = uiHub.hub.createLoginPath();
      await fresh.goto(`${uiHub.url}${path}`);
      await fresh.locator('.topbar').waitFor();
      const reuse = await browser.newContext();
      const again = await reuse.newPage();
      await again.goto(`${uiHub.url}${path}`);
      await again.getByTestId('login').waitFor();
      const text = await again.getByTestId('login').innerText();
      expect(text).toContain('switchboard open');
      expect(text).toContain('used up');
      expect(again.url()).not.toContain('login=');
      await screenshot(again, '11-login');
      await reuse.close();
    } finally {
      await context.close();
    }
  }, 30_000);

  it('after a hub restart the page reconnects by itself and the Claude session is back, typeable', async () => {
    await page.getByRole('button', { name: 'Terminals' }).click();
    await page.getByTestId('session-ui-made').click();
    await uiHub.restart();
    // The hub resumed the session under its id; the page notices, reconnects with its kept login and
    // attaches again, which the new hub sees (the page's own state may still be the old one before that).
    expect(uiHub.hub.registry.resolve('ui-made').id).toBe(sessionId);
    await expect
      .poll(() => uiHub.hub.registry.resolve('ui-made').info().clients, { timeout: 30_000 })
      .toBeGreaterThan(0);
    await page.getByTestId('connection-banner').waitFor({ state: 'detached', timeout: 20_000 });
    await expect
      .poll(() => page.locator('[data-testid="session-ui-made"] .status').getAttribute('data-status'))
      .toBe('idle');
    await expect
      .poll(() => pane().getByTestId('presence').innerText({ timeout: 2_000 }), { timeout: 20_000 })
      .toContain('owner');
    await pane().locator('.xterm').click({ timeout: 10_000 });
    await page.keyboard.type('typed after the restart');
    await page.keyboard.press('Enter');
    await waitForScreen(uiHub.owner, sessionId, 'echo: typed after the restart');
    await expect.poll(() => terminalText(page, sessionId)).toContain('echo: typed after the restart');
    await screenshot(page, '14-after-restart');
  }, 60_000);

  it('raised no page errors', () => {
    const errors = (page as Page & { errors?: string[] }).errors ?? [];
    expect(errors).toEqual([]);
  });
});
