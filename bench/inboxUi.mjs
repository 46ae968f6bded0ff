// The inbox in the web UI (issue 11): how long a permission request takes to show in the Inbox panel, and
// how long an answer from the panel's keyboard takes to reach the session. One fake Claude session (the
// hook posts as Claude Code's do) asks ROUNDS times in a row; Debian's Chromium answers each with `a`.
// Prints a Markdown section. Run with `npm run build && node bench/inboxUi.mjs`. Only 127.0.0.1 is used.
/* global document, window, MutationObserver -- these run inside the page (page.evaluate) */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './lib/chromium.mjs';
import { summarize } from './lib/stats.mjs';
import { createHub, memoryLogger } from '../dist/src-hub/index.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const FAKE_CLAUDE = join(ROOT, 'test', 'fixtures', 'fake-claude.mjs');
const CONFIG = { rounds: 30, roundTimeoutMs: 15_000, viewport: { width: 1280, height: 800 } };

/** Resolves when `predicate` holds, checked every 5 ms; rejects after `ms`. */
async function until(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 5));
  }
}

async function main() {
  const stateDir = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-inbox-'));
  const cwd = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-inbox-cwd-'));
  const hub = createHub({
    stateDir,
    logger: memoryLogger(),
    webUiDir: join(ROOT, 'out', 'renderer'),
    claude: { binary: FAKE_CLAUDE, permissionHoldSeconds: 60 },
  });
  const url = await hub.listen({ port: 0, writeHubFile: false });
  const owner = await hub.connect();
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const added = new Map();
    let output = '';
    owner.onMessage((message) => {
      if (message.type === 'inbox.changed' && message.kind === 'added') added.set(message.item.id, true);
      if (message.type === 'pty.output') output += message.data;
    });
    const session = await owner.createSession({ name: 'asker', cwd });
    await owner.attach(session.id, 'drive');
    await until(() => output.includes('fake claude ready'), 20_000, 'the fake agent');

    const context = await browser.newContext({ viewport: CONFIG.viewport });
    const page = await context.newPage();
    await page.goto(`${url}${hub.createLoginPath().replace('#', '?webgl=0#')}`);
    await page.locator('.topbar').waitFor();
    // The page notes when each item's row first appears, by the wall clock it shares with this process
    // (a few ms of skew between the two event loops: the figures below are end to end, tens of ms).
    await page.evaluate(() => {
      window.seen = {};
      new MutationObserver(() => {
        for (const row of document.querySelectorAll('[data-testid="inbox-item"]'))
          window.seen[row.dataset.item] ??= Date.now();
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.keyboard.press('Control+Shift+X');
    await page.getByTestId('inbox').waitFor();

    const typedToShown = [];
    const answered = [];
    for (let round = 0; round < CONFIG.rounds; round++) {
      const allowed = output.split('PERMISSION allow').length;
      const typed = Date.now();
      await owner.input(session.id, `ASK Bash {"command":"echo ${round}"}\r`);
      await until(() => added.size > round, CONFIG.roundTimeoutMs, `item ${round}`);
      const id = [...added.keys()][round];
      await page.waitForFunction((item) => window.seen[item] !== undefined, id, {
        timeout: CONFIG.roundTimeoutMs,
      });
      const seenAt = await page.evaluate((item) => window.seen[item], id);
      typedToShown.push(seenAt - typed);
      await page.locator(`[data-item="${id}"][aria-selected="true"]`).waitFor();
      const pressed = Date.now();
      await page.keyboard.press('a');
      await until(
        () => output.split('PERMISSION allow').length > allowed,
        CONFIG.roundTimeoutMs,
        `answer ${round}`,
      );
      answered.push(Date.now() - pressed);
    }
    const row = (what, samples) => {
      const s = summarize(samples);
      return `| ${what} | ${s.n} | ${s.p50} | ${s.p99} | ${s.mean} | ${s.min} | ${s.max} |`;
    };
    process.stdout.write(
      [
        `### Inbox in the web UI (${new Date().toISOString()}, ${os.cpus().length} cores, ${CONFIG.rounds} rounds)`,
        '',
        '| ms | n | p50 | p99 | mean | min | max |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        row('ASK typed → row in the panel (agent, hook, hub, browser)', typedToShown),
        row("key `a` pressed → the agent prints Claude Code's decision", answered),
        '',
      ].join('\n'),
    );
    await context.close();
  } finally {
    await browser.close();
    owner.close();
    await hub.close();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}

await main();
