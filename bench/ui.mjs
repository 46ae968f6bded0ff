// The web UI under load: 20 sessions streaming coloured output, all attached (tabs), 4 visible in the 2x2
// grid. Measures frame times (requestAnimationFrame deltas) and long tasks (PerformanceObserver) in
// Debian's Chromium, first with the streams paused, then flowing; prints a Markdown section with ratios.
// Run with `npm run bench:ui` (after a build). Only 127.0.0.1 is contacted.
/* global document, requestAnimationFrame -- these run inside the page (page.evaluate) */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { chromiumLaunchOptions } from './lib/chromium.mjs';
import { createHub, memoryLogger } from '../dist/src-hub/index.js';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const CONFIG = {
  sessions: 20,
  visible: 4,
  /** Lines of ~100 chars per session and tick: light ≈ 4 KB/s (an agent talking), heavy ≈ 50 KB/s (a build log). */
  loads: { light: 2, heavy: 25 },
  tickMs: 50,
  measureMs: 10_000,
  viewport: { width: 1600, height: 1000 },
};

/** A session's output: coloured log lines; the flag file holds how many per tick (absent: paused). */
const STREAM = `
const fs = require('fs');
let n = 0;
const flag = process.argv[1];
setInterval(() => {
  let lines = 0;
  try { lines = Number(fs.readFileSync(flag, 'utf8')); } catch {}
  let out = '';
  for (let i = 0; i < lines; i++) {
    n++;
    out += '\\x1b[3' + (n % 7 + 1) + 'm' + String(n).padStart(8, '0') + '\\x1b[0m ' + 'build step output '.repeat(4) + (n % 97) + '\\r\\n';
  }
  process.stdout.write(out);
}, ${CONFIG.tickMs});
`;

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(page, ms) {
  return page.evaluate(async (duration) => {
    const frames = [];
    const longTasks = [];
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longTasks.push(entry.duration);
    });
    observer.observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const end = last + duration;
    await new Promise((resolve) => {
      const tick = (now) => {
        frames.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick);
        else resolve();
      };
      requestAnimationFrame(tick);
    });
    observer.disconnect();
    return { frames, longTasks };
  }, ms);
}

function summarize({ frames, longTasks }, ms) {
  const sorted = [...frames].sort((a, b) => a - b);
  const round = (value) => Math.round(value * 10) / 10;
  return {
    fps: round(frames.length / (ms / 1000)),
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? 0),
    longTasks: longTasks.length,
    longTaskMs: Math.round(longTasks.reduce((sum, value) => sum + value, 0)),
  };
}

async function main() {
  const stateDir = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-ui-'));
  const flag = join(stateDir, 'streaming');
  const logger = memoryLogger();
  const hub = createHub({ stateDir, logger, webUiDir: join(ROOT, 'out', 'renderer') });
  const url = await hub.listen({ port: 0, writeHubFile: false });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const names = [];
    for (let index = 0; index < CONFIG.sessions; index++) {
      const name = `stream-${String(index + 1).padStart(2, '0')}`;
      names.push(name);
      await hub.registry.create({
        name,
        cwd: stateDir,
        command: process.execPath,
        args: ['-e', STREAM, flag],
        cols: 100,
        rows: 30,
      });
    }
    const context = await browser.newContext({ viewport: CONFIG.viewport });
    const page = await context.newPage();
    await page.goto(
      `${url}${hub.createLoginPath().replace('#', `?webgl=${process.env.BENCH_WEBGL ?? '1'}#`)}`,
    );
    await page.locator('.topbar').waitFor();
    for (const name of names) await page.getByTestId(`session-${name}`).click();
    await page.getByRole('button', { name: '⊞' }).click();
    await page.waitForFunction(
      (count) => document.querySelectorAll('.pane .xterm').length === count,
      CONFIG.sessions,
    );
    const renderer = await page.evaluate(() =>
      document.querySelector('.pane .xterm canvas') ? 'WebGL' : 'DOM',
    );
    const webgl = process.env.BENCH_WEBGL ?? '1';
    await page.waitForTimeout(1500);

    const { writeFileSync } = await import('node:fs');
    const total = () => hub.registry.list().reduce((sum, session) => sum + session.offset, 0);
    const phases = [];
    for (const [label, perTick] of [
      ['streams paused', 0],
      ['20 streaming, light', CONFIG.loads.light],
      ['20 streaming, heavy', CONFIG.loads.heavy],
    ]) {
      if (perTick > 0) writeFileSync(flag, String(perTick));
      await page.waitForTimeout(1000);
      const before = total();
      const figures = summarize(await measure(page, CONFIG.measureMs), CONFIG.measureMs);
      const rate = Math.round(((total() - before) / (CONFIG.measureMs / 1000) / 1000) * 10) / 10;
      phases.push({ label, rate, ...figures });
    }
    rmSync(flag, { force: true });
    const resyncs = logger.events.filter((event) => event.event === 'client.resync').length;
    const [idle, , heavy] = phases;
    const ratio = (a, b) => (b > 0 ? `${Math.round((a / b) * 100) / 100}×` : 'n/a');
    const lines = [
      '',
      `### ${renderer} renderer (\`?webgl=${webgl}\`)`,
      '',
      '| phase | output through the hub (K chars/s) | fps | frame p50 (ms) | p95 | p99 | max | long tasks | long-task time (ms) |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...phases.map(
        (phase) =>
          `| ${phase.label} | ${phase.rate} | ${phase.fps} | ${phase.p50} | ${phase.p95} | ${phase.p99} | ${phase.max} | ${phase.longTasks} | ${phase.longTaskMs} |`,
      ),
      '',
      `Heavy / paused: frame p50 ${ratio(heavy.p50, idle.p50)}, p99 ${ratio(heavy.p99, idle.p99)}. ` +
        `Resyncs (a client falling behind its credit): ${resyncs}. ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
        `hub and the 20 writers on the same machine; Node ${process.version}.`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    await context.close();
  } finally {
    await browser.close();
    await hub.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

await main();
