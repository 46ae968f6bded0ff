// Benchmarks of ARCHITECTURE.md §7 in one run: keystroke echo latency and fan-out to N observers, for a
// bare node-pty (the floor), the hub (in its own process, over WebSocket) and tmux; prints the figures and
// ratios, writes bench/results/latest.json. Run with `npm run bench`; method and figures: docs/benchmarks.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { hubSystem, startHub } from './lib/hub.mjs';
import { sleep } from './lib/probe.mjs';
import { difference, ratio, roundMs, summarize } from './lib/stats.mjs';
import { bareSystem, startTmux, tmuxSystem } from './lib/systems.mjs';
import { loadAverage, revision } from './lib/revision.mjs';
import { runBench } from './lib/runBench.mjs';

const CONFIG = {
  /** Keystrokes per system (after the warm-up ones, which are typed and discarded); pause after each. */
  echo: { samples: 200, warmup: 20, gapMs: 10 },
  fanout: { samples: 100, warmup: 10, gapMs: 25, observers: [10, 100] },
  /** A keystroke that not every view shows within this long is a timeout. */
  sampleTimeoutMs: 2000,
  maxTimeoutsPerSystem: 5,
  phaseDeadlineMs: 90_000,
  runDeadlineMs: 300_000,
};
const BUDGETS = { echoAddedP50: 1, echoAddedP99: 5, fanout100AddedP99: 10 };
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const LABELS = {
  bare: 'bare node-pty',
  hub: 'hub, HubClient',
  hubMinimal: 'hub, minimal client',
  tmux: 'tmux',
};
const HUB_SYSTEMS = ['hub', 'hubMinimal'];

const cleanups = [];
async function cleanUp() {
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`cleanup failed: ${String(error)}`);
    }
  }
}

/**
 * One keystroke into each system per round, in an order that rotates every round, so the machine's noise
 * falls on every system alike. Bounded by the number of rounds and by the phase deadline.
 */
async function sampleRounds(systems, { samples, warmup, gapMs }) {
  const deadline = performance.now() + CONFIG.phaseDeadlineMs;
  const results = Object.fromEntries(
    systems.map((system) => [system.id, { first: [], last: [], timeouts: 0 }]),
  );
  let rounds = 0;
  for (; rounds < warmup + samples && performance.now() <= deadline; rounds++) {
    for (let step = 0; step < systems.length; step++) {
      const system = systems[(rounds + step) % systems.length];
      const result = results[system.id];
      const char = LETTERS[rounds % LETTERS.length];
      const timing = await system.probe.keystroke(char, system.send, CONFIG.sampleTimeoutMs);
      if (timing === undefined) result.timeouts += 1;
      else if (rounds >= warmup) {
        result.first.push(roundMs(timing.first));
        result.last.push(roundMs(timing.last));
      }
      if (result.timeouts > CONFIG.maxTimeoutsPerSystem) {
        throw new Error(`${system.id}: more than ${CONFIG.maxTimeoutsPerSystem} keystrokes never came back.`);
      }
      await sleep(gapMs);
    }
  }
  return { results, rounds, truncated: rounds < warmup + samples };
}

/** Added over bare (difference of the percentiles) and the ratio to tmux, on the time to the last view. */
function derive(summary) {
  const bare = summary.bare.last;
  const tmux = summary.tmux?.last;
  const derived = {};
  for (const id of [...HUB_SYSTEMS, 'tmux']) {
    const stats = summary[id]?.last;
    if (!stats) continue;
    derived[id] = { addedP50: difference(stats.p50, bare.p50), addedP99: difference(stats.p99, bare.p99) };
    if (tmux && id !== 'tmux') {
      Object.assign(derived[id], {
        overTmuxP50: ratio(stats.p50, tmux.p50),
        overTmuxP99: ratio(stats.p99, tmux.p99),
      });
    }
  }
  return derived;
}

async function runPhase({ hub, tmux, directory }, { id, observers, settings }) {
  const started = performance.now();
  const views = Math.max(1, observers);
  const systems = [];
  try {
    systems.push(await bareSystem(directory));
    systems.push(await hubSystem(hub, { name: `bench-${id}`, observers, client: 'hubClient' }));
    systems.push(await hubSystem(hub, { name: `bench-${id}-minimal`, observers, client: 'minimal' }));
    if (tmux) systems.push(await tmuxSystem(tmux, `bench-${id}`, views, directory));
    const cpuBefore = { hub: await hub.cpuSeconds(), tmux: tmux?.cpuSeconds() };
    const { results, rounds, truncated } = await sampleRounds(systems, settings);
    const cpuAfter = { hub: await hub.cpuSeconds(), tmux: tmux?.cpuSeconds() };
    const summary = {};
    for (const [system, result] of Object.entries(results)) {
      summary[system] = {
        last: summarize(result.last),
        first: summarize(result.first),
        timeouts: result.timeouts,
      };
    }
    const perKeystroke = (seconds, keystrokes) => roundMs((seconds * 1000) / keystrokes);
    return {
      id,
      views,
      truncated,
      seconds: roundMs((performance.now() - started) / 1000),
      // Both hub systems send the hub the same frames per keystroke (input, ack), so their keystrokes add up.
      cpuMsPerKeystroke: {
        hub: perKeystroke(cpuAfter.hub - cpuBefore.hub, rounds * HUB_SYSTEMS.length),
        tmuxServer: tmux ? perKeystroke(cpuAfter.tmux - cpuBefore.tmux, rounds) : null,
      },
      hubInputErrors: systems.flatMap((system) => system.errors ?? []).slice(0, 5),
      systems: summary,
      derived: derive(summary),
      samples: Object.fromEntries(
        Object.entries(results).map(([system, { first, last }]) => [system, { first, last }]),
      ),
    };
  } finally {
    for (const system of systems.reverse())
      await system.close().catch((error) => console.error(String(error)));
  }
}

/**
 * A p50 budget is met or not. A p99 budget compares tails, and the floor's own tail is noise on a shared
 * machine: "met" only if even hub p99 - bare p50 (the whole hub tail counted as added) is within the
 * budget; "not met" if hub p99 - bare p99 exceeds it; otherwise "uncertain".
 */
function budgets(phases) {
  const phase = (id) => phases.find((candidate) => candidate.id === id);
  const check = (name, phaseId, percentile, limitMs) => {
    const { systems, derived } = phase(phaseId) ?? {};
    if (!systems) return { name, limitMs, verdict: 'not measured' };
    const key = percentile === 'p50' ? 'addedP50' : 'addedP99';
    const measuredMs = derived.hub[key];
    const minimalClientMs = derived.hubMinimal[key];
    if (measuredMs === null) return { name, limitMs, verdict: 'not measured' };
    if (percentile === 'p50') {
      return {
        name,
        limitMs,
        measuredMs,
        minimalClientMs,
        verdict: measuredMs <= limitMs ? 'met' : 'not met',
      };
    }
    const wholeTailMs = difference(systems.hub.last.p99, systems.bare.last.p50);
    const verdict = wholeTailMs <= limitMs ? 'met' : measuredMs > limitMs ? 'not met' : 'uncertain';
    return { name, limitMs, measuredMs, wholeTailMs, minimalClientMs, verdict };
  };
  return [
    check('keystroke echo p50 added over bare node-pty', 'echo', 'p50', BUDGETS.echoAddedP50),
    check('keystroke echo p99 added over bare node-pty', 'echo', 'p99', BUDGETS.echoAddedP99),
    check('fan-out to 100 observers p99 added over bare', 'fanout100', 'p99', BUDGETS.fanout100AddedP99),
  ];
}

// ---- report --------------------------------------------------------------------------------------------

const cell = (value, width = 9) =>
  (value === null || value === undefined ? '-' : String(value)).padStart(width);

function printPhase(phase, tmuxVersion) {
  const fanout = phase.views > 1;
  const title = fanout ? `Fan-out to ${phase.views} views (time to the last view)` : 'Keystroke echo';
  const n = phase.systems.bare.last.n;
  console.log(
    `\n${title}, ms, n=${n} per system${phase.truncated ? ', TRUNCATED by the phase deadline' : ''}`,
  );
  const firstColumns = (a, b) => (fanout ? cell(a, 11) + cell(b, 11) : '');
  console.log(
    `${'system'.padEnd(20)}${cell('p50')}${cell('p99')}${cell('mean')}${cell('max')}` +
      `${firstColumns('first p50', 'first p99')}${cell('+p50')}${cell('+p99')}${cell('/tmux p50', 11)}` +
      `${cell('/tmux p99', 11)}${cell('timeouts', 10)}`,
  );
  for (const [id, { last, first, timeouts }] of Object.entries(phase.systems)) {
    const label = id === 'tmux' ? tmuxVersion : LABELS[id];
    const derived = phase.derived[id] ?? {};
    console.log(
      `${label.padEnd(20)}${cell(last.p50)}${cell(last.p99)}${cell(last.mean)}${cell(last.max)}` +
        `${firstColumns(first.p50, first.p99)}${cell(derived.addedP50)}${cell(derived.addedP99)}` +
        `${cell(derived.overTmuxP50, 11)}${cell(derived.overTmuxP99, 11)}${cell(timeouts, 10)}`,
    );
  }
  const cpu = phase.cpuMsPerKeystroke;
  console.log(
    `CPU per keystroke: hub process ${cpu.hub} ms; tmux server ${cpu.tmuxServer ?? '-'} ms (10 ms ticks)`,
  );
  if (phase.hubInputErrors.length > 0) console.log(`hub input errors: ${phase.hubInputErrors.join('; ')}`);
}

function printBudgets(checks) {
  console.log('\nARCHITECTURE.md §7 budgets (hub with HubClient, added over bare node-pty in the same run):');
  for (const check of checks) {
    const wholeTail = check.wholeTailMs === undefined ? '' : `; hub p99 - bare p50 ${check.wholeTailMs} ms`;
    console.log(
      `  ${check.verdict.toUpperCase().padEnd(9)}  ${check.name}: ${check.measuredMs ?? '-'} ms${wholeTail} ` +
        `(budget ≤ ${check.limitMs} ms; with the minimal client ${check.minimalClientMs ?? '-'} ms)`,
    );
  }
}

function machine(tmuxVersion) {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    tmux: tmuxVersion ?? null,
    ...revision(),
    loadAverageAtStart: loadAverage(),
  };
}

async function main() {
  const startedAt = Date.now();
  const directory = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const hub = await startHub();
  cleanups.push(() => hub.close());
  const tmux = await startTmux(directory);
  if (tmux) cleanups.push(() => tmux.close());
  else console.log('tmux not found: its rows are skipped.');
  const info = machine(tmux?.version);
  console.log(
    `Switchboard bench: ${info.cpus} x ${info.cpuModel}, ${info.platform}, Node ${info.node}, ` +
      `${info.tmux ?? 'no tmux'}; commit ${info.commit}${info.dirty ? ' + uncommitted src-* changes' : ''}; ` +
      `load average ${info.loadAverageAtStart.join(' ')}`,
  );

  if (info.loadAverageAtStart[0] > info.cpus / 2) {
    console.log(
      'Warning: the machine is busy (1-minute load above half the cores); expect noisy p99 figures.',
    );
  }

  const phases = [];
  const plan = [
    { id: 'echo', observers: 0, settings: CONFIG.echo },
    ...CONFIG.fanout.observers.map((observers) => ({
      id: `fanout${observers}`,
      observers,
      settings: CONFIG.fanout,
    })),
  ];
  for (const step of plan) {
    phases.push(await runPhase({ hub, tmux, directory }, step));
    printPhase(phases.at(-1), info.tmux ?? 'tmux');
  }
  const checks = budgets(phases);
  printBudgets(checks);

  const results = {
    command: 'npm run bench',
    startedAt: new Date(startedAt).toISOString(),
    seconds: roundMs((Date.now() - startedAt) / 1000),
    machine: { ...info, loadAverageAtEnd: loadAverage() },
    config: CONFIG,
    method:
      'Each round types one character into each system, in a rotating order; a sample is the time from the ' +
      'write (or the input request) until the last view shows the echo. The hub runs in its own process; ' +
      'every client and tmux client pty is read by the bench process.',
    phases,
    budgets: checks,
  };
  const directoryOut = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(directoryOut, { recursive: true });
  writeFileSync(join(directoryOut, 'latest.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nWrote bench/results/latest.json (${results.seconds} s).`);
}

await runBench(main, cleanUp, CONFIG.runDeadlineMs);
