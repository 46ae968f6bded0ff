// The delegation graph at scale (issue 13): 100 sessions and 300 tasks in Debian's Chromium, panned and
// zoomed with the mouse; frames per second counted with requestAnimationFrame over a bounded time.
// A real hub serves the built renderer and logs it in; the session and task lists it sends over the
// WebSocket are swapped for a fixture on the way (Playwright's routeWebSocket), as a hub holding 100 live
// sessions (100 ptys, 300 routed tasks) is not cheap on a shared machine. Run with `npm run bench:graph`.
// Only 127.0.0.1 is contacted.
/* global document, requestAnimationFrame, window, MutationObserver -- these run inside the page */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './lib/chromium.mjs';
import { createHub, memoryLogger } from '../dist/src-hub/index.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CONFIG = {
  sessions: 100,
  tasks: 300,
  /** Sessions with no task (shells): on the shelf. */
  shells: 10,
  measureMs: 5_000,
  viewport: { width: 1600, height: 1000 },
};
const STATUSES = ['queued', 'delivered', 'running', 'blocked', 'done', 'failed', 'cancelled', 'done', 'done'];
const T0 = Date.now() - 3_600_000;
const iso = (offset) => new Date(T0 + offset * 1000).toISOString();

/** 100 sessions in five repositories: five leads, helpers under them, shells; 300 tasks down the tree. */
export function fixture() {
  const sessions = [];
  for (let i = 0; i < CONFIG.sessions; i++) {
    const repo = `/work/repo-${i % 5}`;
    sessions.push({
      id: `s${String(i).padStart(3, '0')}`,
      name: i < 5 ? `lead-${i}` : i >= CONFIG.sessions - CONFIG.shells ? `shell-${i}` : `helper-${i}`,
      kind: i >= CONFIG.sessions - CONFIG.shells ? 'command' : 'claude',
      cwd: repo,
      command: 'claude',
      args: [],
      status: ['idle', 'working', 'waiting'][i % 3],
      pid: 1000 + i,
      cols: 120,
      rows: 32,
      createdAt: iso(i),
      endedAt: null,
      exitCode: null,
      signal: null,
      clients: 0,
      leaseHolder: null,
      worktree: null,
    });
  }
  const workers = sessions.slice(5, CONFIG.sessions - CONFIG.shells);
  // Each helper's delegator: a lead for the first 20 helpers, else an earlier helper (depth up to 4).
  const parent = (index) => (index < 20 ? sessions[index % 5].id : workers[Math.floor(index / 4)].id);
  const tasks = [];
  for (let i = 0; i < CONFIG.tasks; i++) {
    const target = i % workers.length;
    const from = i < 5 ? null : i % 7 === 0 && target < 20 ? null : parent(target);
    const to = i < 5 ? sessions[i].id : workers[target].id;
    tasks.push({
      id: `task-${String(i).padStart(3, '0')}`,
      parentId: null,
      fromSession: from,
      fromName: from ?? 'owner',
      toSession: to,
      toName: to,
      title: `step ${i} of the plan`,
      instructions: 'x',
      status: STATUSES[i % STATUSES.length],
      result: null,
      createdAt: iso(100 + i),
      updatedAt: iso(100 + i),
      deadlineAt: iso(7200),
    });
  }
  return { sessions, tasks };
}

/** In the page, before its scripts: the WebSocket hands its listeners the fixture's lists instead of the hub's. */
function swapLists(lists) {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    addEventListener(type, listener, options) {
      if (type !== 'message') return super.addEventListener(type, listener, options);
      return super.addEventListener(
        type,
        (event) => {
          if (typeof event.data !== 'string' || !/"type":"(session|task)\.list\.result"/.test(event.data))
            return listener(event);
          const frame = JSON.parse(event.data);
          if (frame.type === 'session.list.result') frame.sessions = lists.sessions;
          if (frame.type === 'task.list.result') frame.tasks = lists.tasks;
          listener(new MessageEvent('message', { data: JSON.stringify(frame) }));
        },
        options,
      );
    }
  };
}

/** Counts animation frames over `ms` while `drive` moves the graph; also how many frames showed a new viewport. */
async function measure(page, ms, drive) {
  const counting = page.evaluate(async (duration) => {
    const viewport = document.querySelector('.react-flow__viewport');
    const deltas = [];
    let moved = 0;
    const shownTransform = () => viewport?.style.transform ?? '';
    let transform = shownTransform();
    let last = performance.now();
    const end = last + duration;
    await new Promise((resolve) => {
      const tick = (now) => {
        deltas.push(now - last);
        last = now;
        if (shownTransform() !== transform) {
          moved += 1;
          transform = shownTransform();
        }
        if (now < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    return { deltas, moved };
  }, ms);
  const started = Date.now();
  await drive(() => Date.now() - started < ms);
  const { deltas, moved } = await counting;
  const sorted = [...deltas].sort((a, b) => a - b);
  const round = (value) => Math.round(value * 10) / 10;
  return {
    fps: round(deltas.length / (ms / 1000)),
    movedFps: round(moved / (ms / 1000)),
    p50: round(sorted[Math.floor(sorted.length / 2)] ?? 0),
    p95: round(sorted[Math.floor(sorted.length * 0.95)] ?? 0),
    max: round(sorted.at(-1) ?? 0),
  };
}

async function main() {
  const stateDir = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-graph-'));
  const hub = createHub({ stateDir, logger: memoryLogger(), webUiDir: join(ROOT, 'out', 'renderer') });
  const url = await hub.listen({ port: 0, writeHubFile: false });
  const browser = await chromium.launch(chromiumLaunchOptions());
  const load = os.loadavg().map((value) => value.toFixed(2));
  try {
    const { sessions, tasks } = fixture();
    const context = await browser.newContext({ viewport: CONFIG.viewport });
    const page = await context.newPage();
    // The hub's own lists (empty) are swapped for the fixture as the page receives them.
    await page.addInitScript(swapLists, { sessions, tasks });
    page.on('console', (message) => process.env.BENCH_DEBUG && console.log(`[page] ${message.text()}`));
    await page.goto(`${url}${hub.createLoginPath().replace('#', '?webgl=0#')}`);
    await page.locator('.topbar').waitFor();
    // The control: the same page and fixture before the graph is shown (the sidebar lists the sessions).
    await page.waitForTimeout(1000);
    const before = await measure(page, 2_000, async (going) => {
      while (going()) await page.waitForTimeout(50);
    });
    const shown = Date.now();
    await page.getByRole('button', { name: 'Delegation graph' }).click();
    // The task list counts every task; the canvas draws those in view (a large graph).
    await page
      .getByText(`Tasks (${CONFIG.tasks})`)
      .waitFor({ timeout: 60_000 })
      .catch(async (error) => {
        await page.screenshot({ path: join(os.tmpdir(), 'bench-graph-failed.png') });
        throw error;
      });
    await page.locator('.react-flow__edge.task-edge').first().waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="graph"][aria-busy="false"]').waitFor({ timeout: 30_000 });
    const firstDraw = Date.now() - shown;
    if (process.env.BENCH_CSS) await page.addStyleTag({ content: process.env.BENCH_CSS });
    await page.waitForTimeout(1000);
    if (process.env.BENCH_SCREENSHOT) await page.screenshot({ path: process.env.BENCH_SCREENSHOT });
    // A drag pans only from the empty canvas: the empty spot nearest the middle.
    const centre = await page.evaluate(() => {
      const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
      for (let ring = 0; ring < 40; ring++)
        for (let turn = 0; turn < 16; turn++) {
          const x = pane.x + pane.width / 2 + Math.cos((turn / 16) * 2 * Math.PI) * ring * 12;
          const y = pane.y + pane.height / 2 + Math.sin((turn / 16) * 2 * Math.PI) * ring * 12;
          if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
        }
      return { x: pane.x + 40, y: pane.y + pane.height - 120 };
    });
    if (process.env.BENCH_DEBUG)
      console.log(
        await page.evaluate(async () => {
          let count = 0;
          const observer = new MutationObserver((list) => (count += list.length));
          observer.observe(document.body, {
            subtree: true,
            childList: true,
            attributes: true,
            characterData: true,
          });
          await new Promise((resolve) => setTimeout(resolve, 2000));
          observer.disconnect();
          return `mutations in 2 s while still: ${count}`;
        }),
      );
    const idle = await measure(page, 2_000, async (going) => {
      while (going()) await page.waitForTimeout(50);
    });
    const pan = await measure(page, CONFIG.measureMs, async (going) => {
      let step = 0;
      await page.mouse.move(centre.x, centre.y);
      await page.mouse.down();
      while (going()) {
        step += 1;
        const angle = step / 10;
        await page.mouse.move(centre.x + Math.cos(angle) * 150, centre.y + Math.sin(angle) * 100);
      }
      await page.mouse.up();
    });
    const zoom = await measure(page, CONFIG.measureMs, async (going) => {
      let step = 0;
      await page.mouse.move(centre.x, centre.y);
      while (going()) {
        step += 1;
        await page.mouse.wheel(0, Math.floor(step / 8) % 2 === 0 ? -120 : 120);
      }
    });
    const chromiumVersion = browser.version();
    const cpus = os.cpus();
    const lines = [
      `### Delegation graph, ${CONFIG.sessions} sessions and ${CONFIG.tasks} tasks (${new Date().toISOString().slice(0, 16)} UTC)`,
      '',
      `Chromium ${chromiumVersion} headless (no GPU), ${CONFIG.viewport.width}×${CONFIG.viewport.height}; ` +
        `${cpus.length} × ${cpus[0]?.model ?? 'cpu'}; load average at the start ${load.join(' / ')}. ` +
        `First draw after switching to the graph: ${firstDraw} ms.`,
      '',
      '| phase | fps | frames that moved the view, per s | frame p50 / p95 / max ms |',
      '| ----- | --- | --------------------------------- | ------------------------ |',
      ...[
        ['terminals view, before the graph (control)', before],
        ['graph, still', idle],
        ['panning (mouse drag)', pan],
        ['zooming (wheel)', zoom],
      ].map(([label, r]) => `| ${label} | ${r.fps} | ${r.movedFps} | ${r.p50} / ${r.p95} / ${r.max} |`),
      '',
      `Target: at least 30 fps while panning and zooming: ${Math.min(pan.fps, zoom.fps) >= 30 ? 'met' : 'NOT met'}.`,
    ];
    console.log(lines.join('\n'));
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    if (errors.length > 0) console.log(`page errors: ${errors.join('; ')}`);
  } finally {
    await browser.close();
    await hub.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
