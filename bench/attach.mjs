// Issue 12's benchmark: typing through the real `switchboard attach` against `tmux attach`, as a person
// types. One character into `cat` under each system, timed until the driver's terminal shows it (echo) and
// until every observer's does (fan-out), with 0, 10 and 50 observers (`attach --observe`, `attach -r`), a
// bare node-pty floor, and a 100 MB flood watched by 10 observers. Every client is its own process under a
// pty. Prints one table of ratios from one run and writes bench/results/attach.json.
// `npm run bench:attach`; BENCH_CPU_PROF=<dir> also writes CPU profiles of the hub and of two attach clients;
// BENCH_BASELINE=<dir> (another checkout, built) adds its hub and CLI, keystroke by keystroke in the same run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cliSystem } from './lib/cliAttach.mjs';
import { floodScript, MarkerWatch } from './lib/flood.mjs';
import { startHub } from './lib/hub.mjs';
import { Probe, sleep } from './lib/probe.mjs';
import { ratio, roundMs, summarize } from './lib/stats.mjs';
import { bareSystem, startTmux, tmuxSystem } from './lib/systems.mjs';
import { loadAverage, revision } from './lib/revision.mjs';
import { runBench } from './lib/runBench.mjs';

const CONFIG = {
  /** Observers per phase (0 is the echo phase); keystrokes after the warm-up ones; pause after each. */
  phases: [
    { observers: 0, samples: 200, warmup: 20, gapMs: 10 },
    { observers: 10, samples: 100, warmup: 10, gapMs: 25 },
    { observers: 50, samples: 60, warmup: 6, gapMs: 40 },
  ],
  flood: {
    megabytes: Number(process.env.BENCH_FLOOD_MB ?? 100),
    observers: Number(process.env.BENCH_FLOOD_OBSERVERS ?? 10),
    rounds: Number(process.env.BENCH_FLOOD_ROUNDS ?? 2),
    timeoutMs: 90_000,
  },
  settleMs: Number(process.env.BENCH_SETTLE_MS ?? 15_000),
  sampleTimeoutMs: 2000,
  maxTimeoutsPerSystem: 5,
  phaseDeadlineMs: 120_000,
  runDeadlineMs: 600_000,
};
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const PROFILE_DIR = process.env.BENCH_CPU_PROF ? resolve(process.env.BENCH_CPU_PROF) : undefined;
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : undefined;
/** µs between profile samples (BENCH_CPU_PROF_INTERVAL; Node's default is 1000). */
const PROFILE_INTERVAL = process.env.BENCH_CPU_PROF_INTERVAL;
const profileFlags = (name) =>
  PROFILE_DIR
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${PROFILE_DIR}`,
        `--cpu-prof-name=${name}.cpuprofile`,
        ...(PROFILE_INTERVAL ? [`--cpu-prof-interval=${PROFILE_INTERVAL}`] : []),
      ]
    : [];

const cleanups = [];
async function cleanUp() {
  for (const step of cleanups.splice(0).reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup failed: ${String(error)}`);
    }
  }
}

/** A Probe that also notes when view 0 (the driver's terminal) showed the keystroke: the echo. */
class DriverProbe extends Probe {
  feed(index, text) {
    const seenBefore = this.seen?.[index];
    const start = this.start;
    super.feed(index, text);
    if (index === 0 && !seenBefore && this.seen?.[0]) this.driverMs = performance.now() - start;
  }
  keystroke(char, send, timeoutMs) {
    this.driverMs = undefined;
    return super.keystroke(char, send, timeoutMs);
  }
}

/** One keystroke into each system per round, the order rotating each round; bounded in rounds and time. */
async function sampleRounds(systems, { samples, warmup, gapMs }) {
  const deadline = performance.now() + CONFIG.phaseDeadlineMs;
  const results = Object.fromEntries(
    systems.map((system) => [system.id, { echo: [], last: [], timeouts: 0 }]),
  );
  let rounds = 0;
  for (; rounds < warmup + samples && performance.now() <= deadline; rounds++) {
    for (let step = 0; step < systems.length; step++) {
      const system = systems[(rounds + step) % systems.length];
      const result = results[system.id];
      const timing = await system.probe.keystroke(
        LETTERS[rounds % LETTERS.length],
        system.send,
        CONFIG.sampleTimeoutMs,
      );
      if (timing === undefined) result.timeouts += 1;
      else if (rounds >= warmup) {
        result.echo.push(roundMs(system.probe.driverMs ?? timing.first));
        result.last.push(roundMs(timing.last));
      }
      if (result.timeouts > CONFIG.maxTimeoutsPerSystem)
        throw new Error(`${system.id}: more than ${CONFIG.maxTimeoutsPerSystem} keystrokes never came back.`);
      await sleep(gapMs);
    }
  }
  return { results, rounds, truncated: rounds < warmup + samples };
}

async function keystrokePhase({ hub, baseHub, tmux, directory }, phase) {
  const { observers } = phase;
  const systems = [];
  const name = `attach-${observers}`;
  try {
    if (observers === 0) systems.push(await bareSystem(directory));
    systems.push(
      await cliSystem(hub, {
        name,
        observers,
        cwd: directory,
        probe: new DriverProbe(observers + 1),
        nodeFlags: (index) => (index <= 1 ? profileFlags(`cli-${name}-${index}`) : []),
      }),
    );
    if (baseHub)
      systems.push(
        await cliSystem(baseHub, {
          name: `base-${name}`,
          observers,
          cwd: directory,
          probe: new DriverProbe(observers + 1),
          cli: join(BASELINE, 'bin', 'switchboard'),
          id: 'base',
        }),
      );
    if (tmux)
      systems.push(
        await tmuxSystem(tmux, name, observers + 1, directory, { probe: new DriverProbe(observers + 1) }),
      );
    // CPU of each system's processes over the phase (hub or tmux server, plus every client), per keystroke.
    const tmuxClients = tmux
      ? (await tmux.tmux('list-clients', '-F', '#{client_pid}')).stdout.trim().split('\n').map(Number)
      : [];
    const cpuOf = {
      cli: async () => (await hub.cpuSeconds()) + processCpuSeconds(systems.find((s) => s.id === 'cli').pids),
      base: async () =>
        (await baseHub.cpuSeconds()) + processCpuSeconds(systems.find((s) => s.id === 'base').pids),
      tmux: async () => tmux.cpuSeconds() + processCpuSeconds(tmuxClients),
    };
    // Steady state: freshly started Node clients spend seconds on compiling and collecting what their start
    // left; measured at once, the system set up first paid it (1.8x the CPU of the same build at 50
    // observers). BENCH_SETTLE_MS (default 15 s) waits after the last client started; 0 restores that.
    await sleep(CONFIG.settleMs);
    const cpuBefore = {};
    for (const system of systems) if (cpuOf[system.id]) cpuBefore[system.id] = await cpuOf[system.id]();
    // The split of the CLI's CPU: the hub alone (its clients are the rest).
    const hubCpuBefore = await hub.cpuSeconds();
    const serverCpuBefore = tmux ? tmux.cpuSeconds() : 0;
    const { results, truncated, rounds } = await sampleRounds(systems, phase);
    const summary = {};
    const hubCpuMs = roundMs((((await hub.cpuSeconds()) - hubCpuBefore) / rounds) * 1000);
    for (const [id, result] of Object.entries(results)) {
      const cpu = cpuOf[id] ? ((await cpuOf[id]()) - cpuBefore[id]) / rounds : undefined;
      summary[id] = {
        echo: summarize(result.echo),
        last: summarize(result.last),
        timeouts: result.timeouts,
        cpuMsPerKeystroke: cpu === undefined ? null : roundMs(cpu * 1000),
        ...(id === 'cli' ? { hubCpuMsPerKeystroke: hubCpuMs } : {}),
        ...(id === 'tmux'
          ? { serverCpuMsPerKeystroke: roundMs(((tmux.cpuSeconds() - serverCpuBefore) / rounds) * 1000) }
          : {}),
      };
    }
    return { observers, truncated, systems: summary, samples: results };
  } finally {
    for (const system of systems.reverse())
      await system.close().catch((error) => console.error(String(error)));
  }
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** CPU seconds of these processes so far (from /proc, 10 ms ticks); an exited one counts 0. */
function processCpuSeconds(pids) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // exited
    }
  }
  return Math.round((ticks / CLOCK_TICKS) * 100) / 100;
}

/** One flood through `make(command, watch)`: ms until every view showed the end marker, or null. */
async function floodRound(make, label, round) {
  const { megabytes, observers, timeoutMs } = CONFIG.flood;
  const marker = `FLOOD-END-${label}-${round}`;
  const watch = new MarkerWatch(observers + 1, marker, true);
  const system = await make(floodScript(megabytes * 1e6, marker), watch);
  try {
    watch.arm();
    const cpuBefore = await system.cpuSeconds();
    const start = performance.now();
    system.send('\r');
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([watch.done, timedOut]);
    clearTimeout(timer);
    const done = watch.doneAt.filter((at) => at !== undefined);
    for (const line of watch.unfinished()) console.log(`  ${label} round ${round + 1}: ${line}`);
    return {
      ms: done.length === observers + 1 ? roundMs(Math.max(...done) - start) : null,
      finishedViews: done.length,
      cpuSeconds: Math.round(((await system.cpuSeconds()) - cpuBefore) * 100) / 100,
    };
  } finally {
    await system.close();
  }
}

async function floodPhase({ hub, tmux, directory }) {
  const { observers, rounds } = CONFIG.flood;
  const cli = async (command, watch) => {
    const system = await cliSystem(hub, {
      name: `flood-${performance.now()}`,
      observers,
      cwd: directory,
      probe: watch,
      command,
    });
    // The hub's CPU and every attach client's: what the flood costs the machine. (Before 2026-12-02 the
    // hub's share was read only at close, after the round had read this: the figures were the clients'.)
    return { ...system, cpuSeconds: async () => processCpuSeconds(system.pids) + (await hub.cpuSeconds()) };
  };
  const viaTmux = async (command, watch) => {
    const system = await tmuxSystem(
      tmux,
      `flood-${Math.round(performance.now())}`,
      observers + 1,
      directory,
      {
        command,
        probe: watch,
      },
    );
    const clients = (await tmux.tmux('list-clients', '-F', '#{client_pid}')).stdout
      .trim()
      .split('\n')
      .map(Number);
    return { ...system, cpuSeconds: () => processCpuSeconds(clients) + tmux.cpuSeconds() };
  };
  console.log('phase: flood…');
  const result = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? ['cli', 'tmux'] : ['tmux', 'cli'];
    const entry = { round };
    for (const system of order) {
      if (system === 'cli') entry.cli = await floodRound(cli, 'CLI', round);
      else if (tmux) entry.tmux = await floodRound(viaTmux, 'TMUX', round);
    }
    result.push(entry);
    console.log(
      `  flood round ${round + 1}: switchboard ${entry.cli.ms} ms, tmux ${entry.tmux?.ms ?? '-'} ms`,
    );
  }
  return result;
}

// ---- report --------------------------------------------------------------------------------------------

const cell = (value, width = 10) =>
  (value === null || value === undefined ? '-' : String(value)).padStart(width);

function printTable(phases, flood, tmuxVersion) {
  console.log(
    `\nswitchboard attach against ${tmuxVersion ?? 'tmux (missing)'}, ms; ratio = switchboard ÷ tmux`,
  );
  console.log(
    `${'measure'.padEnd(34)}${cell('switchbd')}${cell('tmux')}${cell('ratio', 8)}${cell('bare pty')}${cell('n', 6)}`,
  );
  const bare = phases[0]?.systems.bare?.echo;
  const row = (label, a, b, n, floor) =>
    console.log(`${label.padEnd(34)}${cell(a)}${cell(b)}${cell(ratio(a, b), 8)}${cell(floor)}${cell(n, 6)}`);
  for (const phase of phases) {
    const { cli, tmux } = phase.systems;
    const who = phase.observers === 0 ? 'alone' : `${phase.observers} observers`;
    row(
      `echo p50, ${who}`,
      cli.echo.p50,
      tmux?.echo.p50,
      cli.echo.n,
      phase.observers === 0 ? bare?.p50 : null,
    );
    row(
      `echo p99, ${who}`,
      cli.echo.p99,
      tmux?.echo.p99,
      cli.echo.n,
      phase.observers === 0 ? bare?.p99 : null,
    );
    if (phase.observers > 0) row(`fan-out p99, ${who}`, cli.last.p99, tmux?.last.p99, cli.last.n);
    row(`CPU ms per keystroke, ${who}`, cli.cpuMsPerKeystroke, tmux?.cpuMsPerKeystroke, cli.echo.n);
    row(
      `  of which the hub (tmux: server)`,
      cli.hubCpuMsPerKeystroke,
      tmux?.serverCpuMsPerKeystroke,
      cli.echo.n,
    );
    if (phase.truncated) console.log('  (truncated by the phase deadline)');
  }
  for (const entry of flood) {
    row(
      `flood ${CONFIG.flood.megabytes} MB, ${CONFIG.flood.observers} obs, round ${entry.round + 1}`,
      entry.cli.ms,
      entry.tmux?.ms,
      1,
    );
    row(`  CPU s (hub+clients / tmux+clients)`, entry.cli.cpuSeconds, entry.tmux?.cpuSeconds, 1);
  }
  if (!phases[0]?.systems.base) return;
  console.log(`\nthis checkout against the baseline ${BASELINE}, ms, the same run; ratio = this ÷ baseline`);
  console.log(
    `${'measure'.padEnd(34)}${cell('this')}${cell('baseline')}${cell('ratio', 8)}${cell('this÷tmux', 10)}${cell('base÷tmux', 10)}`,
  );
  for (const phase of phases) {
    const { cli, base, tmux } = phase.systems;
    const who = phase.observers === 0 ? 'alone' : `${phase.observers} observers`;
    const rows = [
      [`echo p50, ${who}`, cli.echo.p50, base.echo.p50, tmux?.echo.p50],
      [`echo p99, ${who}`, cli.echo.p99, base.echo.p99, tmux?.echo.p99],
      ...(phase.observers > 0
        ? [
            [`fan-out p50, ${who}`, cli.last.p50, base.last.p50, tmux?.last.p50],
            [`fan-out p99, ${who}`, cli.last.p99, base.last.p99, tmux?.last.p99],
          ]
        : []),
      [
        `CPU ms per keystroke, ${who}`,
        cli.cpuMsPerKeystroke,
        base.cpuMsPerKeystroke,
        tmux?.cpuMsPerKeystroke,
      ],
    ];
    for (const [label, mine, theirs, reference] of rows)
      console.log(
        `${label.padEnd(34)}${cell(mine)}${cell(theirs)}${cell(ratio(mine, theirs), 8)}` +
          `${cell(ratio(mine, reference), 10)}${cell(ratio(theirs, reference), 10)}`,
      );
  }
}

async function main() {
  const load = loadAverage();
  const rev = revision();
  console.log(
    `bench:attach at ${rev.commit}${rev.dirty ? ' (src-* modified)' : ''}, ${os.cpus().length} CPUs, ` +
      `node ${process.version}, load average at start ${load.join(' ')}`,
  );
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const directory = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-attach-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const hub = await startHub({ nodeFlags: profileFlags('hub') });
  cleanups.push(() => hub.close());
  const tmux = await startTmux(directory);
  if (tmux) cleanups.push(() => tmux.close());
  let baseHub;
  if (BASELINE) {
    baseHub = await startHub({
      script: join(BASELINE, 'bench', 'lib', 'hubProcess.mjs'),
      nodeFlags: profileFlags('base-hub'),
    });
    cleanups.push(() => baseHub.close());
  }
  const context = { hub, baseHub, tmux, directory };
  const phases = [];
  // BENCH_OBSERVERS=0,10 runs only those phases; BENCH_FLOOD_MB=0 leaves the flood out.
  const only = process.env.BENCH_OBSERVERS?.split(',').map(Number);
  for (const phase of CONFIG.phases.filter((candidate) => !only || only.includes(candidate.observers))) {
    console.log(`phase: ${phase.observers} observers…`);
    phases.push(await keystrokePhase(context, phase));
  }
  const flood = CONFIG.flood.megabytes > 0 ? await floodPhase(context) : [];
  printTable(phases, flood, tmux?.version);
  const out = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, 'attach.json'),
    JSON.stringify(
      { at: new Date().toISOString(), ...rev, loadAverage: load, config: CONFIG, phases, flood },
      null,
      1,
    ),
  );
  console.log(`\nSamples: bench/results/attach.json${PROFILE_DIR ? `; CPU profiles in ${PROFILE_DIR}` : ''}`);
}

await runBench(main, cleanUp, CONFIG.runDeadlineMs);
