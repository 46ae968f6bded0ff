// Ring 4, issue 9 (hostile input never takes the hub down): a web page on another origin (127.0.0.2) fires
// images, forms, no-cors fetches and a WebSocket at a real hub process in Debian's Chromium. Afterwards the
// hub is up, its session untouched, the owner's CLI not locked out, and the page's WebSocket was refused.
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, SessionInfo } from '../src-protocol/index.js';
import { connectHub } from '../src-cli/connect.js';
import { fixture, waitForScreen } from '../test/helpers.js';
import { startAttackedHub, type HubProcess } from '../test/attackedHub.js';
import { ATTACKS, startAttackServer, UI_PATHS, type Attack, type AttackServer } from './attackPage.js';
import { browserMissing, launchChromium } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser attack test cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] browser attack test skipped: ${missing}`);

interface Seen {
  images: Array<[string, string]>;
  fetches: Array<[string, string]>;
  forms: number;
  websocket: { opened: boolean; code: number | null; replies: string[] } | null;
}

let browser: Browser;
let attacker: AttackServer;
let hub: HubProcess | undefined;
let owner: HubClient | undefined;

/** What the page must not change: the sessions as the hub lists them, and the target's screen. */
async function hubState(client: HubClient, session: string) {
  const sessions = (await client.listSessions()).map((info: SessionInfo) => ({
    id: info.id,
    name: info.name,
    status: info.status,
    pid: info.pid,
    cols: info.cols,
    rows: info.rows,
  }));
  return { sessions, screen: (await client.screen(session)).lines };
}

async function healthz(url: string): Promise<number | string> {
  try {
    return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3_000) })).status;
  } catch (error) {
    return String(error);
  }
}

/** Starts a hub with one session, opens the attack page in a fresh browser context, returns what it saw. */
async function attack(attacks: readonly Attack[]) {
  hub = await startAttackedHub();
  owner = await connectHub({ url: hub.url, token: hub.ownerToken });
  const session = await owner.createSession({
    name: 'target',
    command: process.execPath,
    args: [fixture('sturdy-echo.mjs')],
    cwd: hub.home,
  });
  await waitForScreen(owner, session.id, 'ready>');
  const before = await hubState(owner, session.id);
  const context = await browser.newContext();
  const consoleErrors: string[] = [];
  // What each request to the hub got, as the browser saw it (the page itself only sees opaque answers). A
  // no-cors fetch answered with JSON is then aborted by Chromium (opaque response blocking): the answer counts.
  const answered = new Map<Request, { method: string; path: string; status: number | string }>();
  const onHub = (request: Request) => request.url().startsWith(hub!.url) && !request.url().includes('/ws');
  const answer = (request: Request, status: number | string) => {
    if (onHub(request) && !answered.has(request))
      answered.set(request, { method: request.method(), path: request.url().slice(hub!.url.length), status });
  };
  try {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('response', (response) => answer(response.request(), response.status()));
    page.on('requestfailed', (request) => answer(request, request.failure()?.errorText ?? 'failed'));
    await page.goto(attacker.url(attacks));
    await page.waitForFunction(() => (window as { attackDone?: boolean }).attackDone === true, null, {
      timeout: 20_000,
    });
    const seen = await page.evaluate(() => (window as unknown as { attackSeen: Seen }).attackSeen);
    return { session, before, seen, consoleErrors, answers: [...answered.values()] };
  } finally {
    await context.close();
  }
}

/** The hub took the page's attacks: still up, nothing changed, and its owner still gets in with the CLI. */
async function expectUnharmed(result: Awaited<ReturnType<typeof attack>>) {
  const running = hub!;
  expect(running.exit, `the hub exited:\n${running.output().slice(-3000)}`).toBeUndefined();
  expect(await healthz(running.url)).toBe(200);
  expect(await hubState(owner!, result.session.id)).toEqual(result.before);
  const listed = await running.cli(['ls', '--json']);
  expect(listed, `switchboard ls: ${listed.stdout}${listed.stderr}`).toMatchObject({ code: 0, stderr: '' });
  const sessions = JSON.parse(listed.stdout) as SessionInfo[];
  expect(sessions.map((session) => [session.id, session.status])).toEqual([[result.session.id, 'running']]);
}

/**
 * A refusal: a 4xx, or an answer Chromium withheld from the page: one the hub marked same-origin only
 * (Cross-Origin-Resource-Policy), or JSON where an image was asked for (opaque response blocking). A 5xx is
 * a bug answering; any other failure is a hub that did not answer.
 */
const isRefusal = (status: number | string) =>
  typeof status === 'number'
    ? status >= 400 && status < 500
    : /^net::ERR_BLOCKED_BY_(RESPONSE|ORB)\b/.test(status);

/** GET with the path sent exactly as written (no URL normalizing), from Node. */
function rawGet(url: string, path: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const target = new URL(url);
    const call = request({ host: target.hostname, port: target.port, path }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    call.on('error', reject);
    call.setTimeout(3_000, () => call.destroy(new Error(`no answer to GET ${path}`)));
    call.end();
  });
}

describe.skipIf(missing !== undefined)('a hostile page on another origin (Chromium, real hub)', () => {
  beforeAll(async () => {
    attacker = await startAttackServer(() => hub?.url ?? 'http://127.0.0.1:9');
    browser = await launchChromium();
  }, 60_000);

  afterEach(async () => {
    owner?.close();
    owner = undefined;
    await hub?.stop();
    hub = undefined;
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await attacker?.close();
  });

  it('/ui/% and encoded traversals: the hub stays up and serves no file outside the web UI', async () => {
    const result = await attack(['ui']);
    await expectUnharmed(result);
    expect(result.answers.map(({ path }) => path).sort()).toEqual([...UI_PATHS].sort()); // each reached the hub
    expect(result.answers.filter(({ status }) => !isRefusal(status))).toEqual([]);
    // What the hub answers each path (the page cannot read it): a bad or missing path, never a file.
    for (const path of UI_PATHS) {
      const answer = await rawGet(hub!.url, path);
      expect([400, 404], `${path}: ${answer.status} ${answer.body.slice(0, 200)}`).toContain(answer.status);
      expect(answer.body).not.toContain(hub!.ownerToken);
    }
  }, 60_000);

  it('twenty cross-site GETs of /hooks do not lock the owner out of 127.0.0.1', async () => {
    const result = await attack(['hooks']);
    await expectUnharmed(result);
    expect(result.answers).toHaveLength(20); // each reached the hub …
    expect(result.answers.filter(({ status }) => !isRefusal(status))).toEqual([]); // … and was refused
  }, 60_000);

  it('auto-submitted forms and no-cors fetches to /hooks, /mcp and /auth/login change nothing', async () => {
    const result = await attack(['forms', 'fetch']);
    await expectUnharmed(result);
    expect(result.seen).toMatchObject({ forms: 6 });
    expect(result.answers.filter(({ method }) => method === 'POST')).toHaveLength(12);
    expect(result.answers.filter(({ status }) => !isRefusal(status))).toEqual([]);
  }, 60_000);

  it("refuses the page's WebSocket (403, foreign Origin) before any frame", async () => {
    const result = await attack(['websocket']);
    expect(result.seen.websocket).toMatchObject({ opened: false, replies: [] });
    expect(result.consoleErrors.join('\n')).toMatch(/Unexpected response code: 403/);
    const log = join(hub!.home, 'hub.log');
    await expect
      .poll(() => (existsSync(log) ? readFileSync(log, 'utf8') : ''))
      .toContain(`Origin \\"${attacker.origin}\\" is not allowed`);
    await expectUnharmed(result);
  }, 60_000);

  it('everything at once, as one page would: the hub stays up, unchanged, and its owner gets in', async () => {
    const result = await attack(ATTACKS);
    expect(result.seen.websocket?.opened).toBe(false);
    await expectUnharmed(result);
  }, 60_000);
});
