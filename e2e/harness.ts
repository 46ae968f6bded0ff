// Browser e2e harness: a real hub (fake Claude agent) serving the built renderer, and Debian's Chromium
// driven by playwright-core. Only 127.0.0.1 is ever contacted.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import type { HubClient } from '../src-protocol/index.js';
import { connectHub } from '../src-cli/connect.js';
import { CHROMIUM, chromiumLaunchOptions } from '../bench/lib/chromium.mjs';

export { CHROMIUM };
export const WEB_UI_DIR = join(import.meta.dirname, '..', 'out', 'renderer');
export const SCREENSHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');
const FAKE_CLAUDE = join(import.meta.dirname, '..', 'test', 'fixtures', 'fake-claude.mjs');
const CLI = join(import.meta.dirname, '..', 'bin', 'switchboard');
const run = promisify(execFile);

/** Why the browser journeys cannot run here, or undefined when they can. In CI a missing browser fails. */
export function browserMissing(): string | undefined {
  if (!existsSync(join(WEB_UI_DIR, 'index.html')))
    return `the renderer is not built (${WEB_UI_DIR}); run npm run build`;
  if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, as .ci/run does)`;
  return undefined;
}

export interface UiHub {
  hub: Hub;
  url: string;
  workspace: string;
  owner: HubClient;
  /** Runs the built `switchboard` CLI against this hub (as its owner); never throws on a failing exit. */
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Stops the hub and starts a new one on the same state directory and port (`hub` and `owner` change). */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** `claudeEnv`: extra environment for every Claude session (e.g. CLAUDE_CONFIG_DIR, for a transcript). */
export async function startUiHub(options: { claudeEnv?: Record<string, string> } = {}): Promise<UiHub> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
  const workspace = mkdtempSync(join(tmpdir(), 'switchboard-e2e-repo-'));
  const start = () =>
    createHub({
      stateDir,
      logger: memoryLogger(),
      webUiDir: WEB_UI_DIR,
      claude: { binary: FAKE_CLAUDE, unreportedGraceSeconds: 1, env: options.claudeEnv ?? {} },
    });
  const first = start();
  const url = await first.listen({ port: 0, writeHubFile: false });
  const port = Number(new URL(url).port);
  const { SWITCHBOARD_URL: _url, SWITCHBOARD_TOKEN: _token, ...env } = process.env;
  const cliEnv = () => ({
    ...env,
    SWITCHBOARD_HOME: stateDir,
    SWITCHBOARD_URL: url,
    SWITCHBOARD_TOKEN: uiHub.hub.ownerToken,
  });
  const uiHub: UiHub = {
    hub: first,
    url,
    workspace,
    owner: await connectHub({ url, token: first.ownerToken }, { autoAck: true }),
    async cli(...args) {
      try {
        const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
          env: cliEnv(),
          timeout: 30_000,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const failed = error as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      }
    },
    async restart(whileDown) {
      uiHub.owner.close();
      await uiHub.hub.close();
      await whileDown?.(); // what a page shows while no hub answers
      uiHub.hub = start();
      await uiHub.hub.listen({ port, writeHubFile: false }); // the same port, as `switchboard hub` keeps
      uiHub.owner = await connectHub({ url, token: uiHub.hub.ownerToken }, { autoAck: true });
    },
    async close() {
      uiHub.owner.close();
      await uiHub.hub.close();
      rmSync(stateDir, { recursive: true, force: true });
      rmSync(workspace, { recursive: true, force: true });
    },
  };
  return uiHub;
}

/** Headless Debian Chromium; Playwright gives every launch a fresh temporary profile (user data dir). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumLaunchOptions());
}

/** A new browser context logged in as the owner through a one-time login URL; DOM renderer for reading text. */
export async function ownerPage(
  browser: Browser,
  uiHub: UiHub,
  options: { width?: number; height?: number; query?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  (page as Page & { errors?: string[] }).errors = errors;
  await page.goto(
    `${uiHub.url}${uiHub.hub.createLoginPath().replace('#', `?${options.query ?? 'webgl=0'}#`)}`,
  );
  await page.locator('.topbar').waitFor();
  return { context, page };
}

/** The visible rows of a pane's terminal, as text (DOM renderer). */
export async function terminalText(page: Page, session: string): Promise<string> {
  return page.locator(`[data-pane="${session}"] .xterm-rows`).innerText();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
