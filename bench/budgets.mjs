// The ARCHITECTURE.md §7 budgets that bench/run.mjs does not cover, one phase each, every phase with a hub
// of its own (forked, as run.mjs does): a late-join snapshot of screen + 1,000 rows of scrollback; an output
// flood watched by 10 observers, against tmux with 10 attached clients; the hub's memory per idle session;
// a delegation delivered to an idle Claude session (the fake agent of test/fixtures). Prints the figures and
// the verdicts, writes bench/results/budgets.json. Run with `npm run bench:budgets`; docs/benchmarks.md.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { connectHub } from '../dist/src-cli/connect.js';
import { startHub } from './lib/hub.mjs';
import { floodScript, MarkerWatch } from './lib/flood.mjs';
import { sleep, visibleText, waitUntil } from './lib/probe.mjs';
import { rawClient } from './lib/rawClient.mjs';
import { ratio, roundMs, summarize } from './lib/stats.mjs';
import { SIZE, startTmux, tmuxSystem } from './lib/systems.mjs';
import { loadAverage, revision } from './lib/revision.mjs';
import { runBench } from './lib/runBench.mjs';

const FAKE_CLAUDE = fileURLToPath(new URL('../test/fixtures/fake-claude.mjs', import.meta.url));
const MiB = 2 ** 20;

const CONFIG = {
  /** A session that printed `lines` lines; `joins` late joiners per client kind, after `warmup` joins. */
  lateJoin: { lines: 5000, joins: 40, warmup: 4, gapMs: 50 },
  /** Output of `megabytes` × 10^6 bytes (before the tty's \n → \r\n), `observers` views, `rounds` each. */
  flood: {
    megabytes: Number(process.env.BENCH_FLOOD_MB) || 100,
    observers: 10,
    rounds: 2,
    timeoutMs: 60_000,
  },
  /** `sessions` idle sessions of each kind (IDLE_KINDS); `warmup` started and removed before the baseline. */
  idle: { sessions: 100, warmup: 2, settleMs: 1000, cpuWindowMs: 2000 },
  /** Delegations to an idle fake-agent session, one at a time, each once the target was idle `idleMs`. */
  delegation: { samples: 20, warmup: 2, idleMs: 500, turnTimeoutMs: 10_000 },
  phaseDeadlineMs: 75_000,
  runDeadlineMs: 280_000,
};
const BUDGETS = { lateJoinMs: 30, floodOverTmux: 1, idleBytesPerSession: 3e6, delegationMs: 50 };

/** Undo steps of everything started so far (processes, ptys, tmux, temp dirs), run in reverse. */
const cleanups = [];
async function undo(steps) {
  for (const step of steps.reverse()) {
    try {
      await step();
    } catch (error) {
      console.error(`cleanup failed: ${String(error)}`);
    }
  }
}
const cleanUp = () => undo(cleanups.splice(0));

/** Runs `body(defer)`; what `defer` registered is undone when it ends (and by cleanUp on Ctrl-C before). */
async function scoped(body) {
  const mark = cleanups.length;
  try {
    return await body((step) => cleanups.push(step));
  } finally {
    await undo(cleanups.splice(mark));
  }
}

function withDeadline(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const screenText = async (hub, session) => (await hub.owner.screen(session)).lines.join('\n');
const round2 = (value) => Math.round(value * 100) / 100;

/** Owner's kill and remove; a session already gone is fine. */
async function endSession(hub, id) {
  await hub.owner.kill(id).catch(() => undefined);
  await hub.owner.remove(id).catch(() => undefined);
}

// ---- 1. late-join snapshot -------------------------------------------------------------------------------

/** Coloured log lines, about 100 columns each, then a marker; the program then waits (cat). */
function logScript(lines, marker) {
  const format =
    '\\033[2m12:00:%02d.%03d\\033[0m \\033[3%dmINFO\\033[0m step %05d: compiling src/module%03d/file%04d.ts' +
    ' (%d ms) ok\\n';
  const values = 'i % 60, i % 1000, i % 7 + 1, i, i % 997, i, i % 300';
  const awk = `BEGIN { for (i = 1; i <= ${lines}; i++) printf "${format}", ${values} }`;
  return `awk '${awk}'; printf '%s\\n' '${marker}'; exec cat`;
}

async function lateJoinPhase() {
  const { lines, joins, warmup, gapMs } = CONFIG.lateJoin;
  return scoped(async (defer) => {
    const hub = await startHub({ instrument: true });
    defer(() => hub.close());
    const marker = 'LATE-JOIN-READY';
    const session = await hub.owner.createSession({
      name: 'bench-late-join',
      command: '/bin/sh',
      args: ['-c', logScript(lines, marker)],
      ...SIZE,
    });
    defer(() => endSession(hub, session.id));
    await waitUntil(async () => (await screenText(hub, session.id)).includes(marker), {
      timeoutMs: 20_000,
      intervalMs: 100,
      what: `the session to print ${lines} lines`,
    });
    await sleep(300);
    const { token } = await hub.owner.createInvite('observer', { session: session.id });
    await hub.timings(); // drop anything recorded so far

    const samples = [];
    let snapshotRows;
    const deadline = performance.now() + CONFIG.phaseDeadlineMs;
    for (let index = 0; index < warmup + 2 * joins && performance.now() <= deadline; index++) {
      const kind = index % 2 === 0 ? 'raw' : 'hubClient';
      if (kind === 'raw') {
        const client = await rawClient(hub.url, token, 'bench-late-join');
        try {
          const { message, sentAt, receivedAt, parsedAt } = await client.request({
            type: 'attach',
            session: session.id,
            mode: 'observe',
          });
          snapshotRows ??= message.data.split('\n').length;
          samples.push({ kind, arrivedMs: receivedAt - sentAt, parsedMs: parsedAt - sentAt });
        } finally {
          client.close();
        }
      } else {
        const client = await connectHub({ url: hub.url, token }, { autoAck: true, clientName: 'bench-late' });
        try {
          const start = performance.now();
          await client.attach(session.id, 'observe');
          samples.push({ kind, parsedMs: performance.now() - start });
        } finally {
          client.close();
        }
      }
      await sleep(gapMs);
    }
    const hubRecords = (await hub.timings()).attach.filter((record) => record.session === session.id);
    if (hubRecords.length !== samples.length) {
      throw new Error(`late join: ${samples.length} joins but ${hubRecords.length} hub records`);
    }
    const measured = samples.slice(warmup);
    const hubMeasured = hubRecords.slice(warmup);
    const of = (kind, key) => summarize(measured.filter((s) => s.kind === kind).map((s) => roundMs(s[key])));
    return {
      lines,
      snapshotRows,
      snapshotChars: hubMeasured[0]?.frameChars ?? null,
      joins: measured.length,
      hub: summarize(hubMeasured.map((record) => roundMs(record.snapshotMs))),
      hubMirror: summarize(hubMeasured.map((record) => roundMs(record.mirrorMs))),
      client: {
        rawArrived: of('raw', 'arrivedMs'),
        rawParsed: of('raw', 'parsedMs'),
        hubClient: of('hubClient', 'parsedMs'),
      },
    };
  });
}

// ---- 2. output flood, 10 observers, against tmux --------------------------------------------------------

function floodResult(watch, start, cpu, benchCpu, extra) {
  const done = watch.doneAt.filter((at) => at !== undefined).map((at) => at - start);
  return {
    finishedViews: done.length,
    lastMs: done.length === watch.doneAt.length ? roundMs(Math.max(...done)) : null,
    firstMs: done.length > 0 ? roundMs(Math.min(...done)) : null,
    cpuSeconds: cpu === null ? null : round2(cpu),
    benchCpuSeconds: round2(benchCpu),
    charsPerView: Math.round(watch.chars.reduce((sum, chars) => sum + chars, 0) / watch.chars.length),
    chunksPerView: Math.round(watch.chunks / watch.chars.length),
    ...extra,
  };
}

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** CPU seconds (user + system) of these processes so far, from /proc (10 ms ticks); a gone one counts 0. */
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
  return ticks / CLOCK_TICKS;
}

const benchCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

async function hubFloodRound(hub, bytes, observers, round) {
  return scoped(async (defer) => {
    const marker = `FLOOD-END-HUB-${round}`;
    const session = await hub.owner.createSession({
      name: `bench-flood-${round}`,
      command: '/bin/sh',
      args: ['-c', floodScript(bytes, marker)],
      ...SIZE,
    });
    defer(() => endSession(hub, session.id));
    await waitUntil(async () => (await screenText(hub, session.id)).includes('READY'), {
      timeoutMs: 5000,
      what: 'the flood session to start',
    });
    const { token } = await hub.owner.createInvite('observer', { session: session.id });
    // No observers: the end is when the hub's own mirror shows the marker (its screen, polled).
    const watch = new MarkerWatch(Math.max(1, observers), marker, false);
    let resyncs = 0;
    for (let index = 0; index < observers; index++) {
      const client = await rawClient(hub.url, token, `bench-flood-${index}`);
      defer(() => client.close());
      client.onMessage((message, receivedAt) => {
        if (message.session !== session.id) return;
        if (message.type === 'pty.output') watch.feed(index, message.data, receivedAt);
        else if (message.type === 'pty.resync') resyncs += 1;
        // After a resync the client gets a fresh snapshot: the marker may be in it.
        else if (message.type === 'pty.snapshot' && message.replyTo === undefined)
          watch.feed(index, message.data, receivedAt);
      });
      await client.request({ type: 'attach', session: session.id, mode: 'observe' });
    }
    await sleep(300);
    watch.arm();
    const cpuBefore = await hub.cpuSeconds();
    const benchBefore = benchCpuSeconds();
    const start = performance.now();
    await hub.owner.input(session.id, '\r');
    if (observers === 0) {
      await waitUntil(async () => (await screenText(hub, session.id)).includes(marker), {
        timeoutMs: CONFIG.flood.timeoutMs,
        intervalMs: 50,
        what: "the hub's mirror to show the end of the flood",
      });
      watch.doneAt[0] = performance.now();
      watch.resolve();
    }
    await withDeadline(watch.done, CONFIG.flood.timeoutMs, 'the hub flood').catch((error) =>
      console.error(String(error)),
    );
    const benchCpu = benchCpuSeconds() - benchBefore;
    const cpu = (await hub.cpuSeconds()) - cpuBefore;
    return floodResult(watch, start, cpu, benchCpu, { resyncs });
  });
}

async function tmuxFloodRound(tmux, directory, bytes, observers, round) {
  return scoped(async (defer) => {
    const marker = `FLOOD-END-TMUX-${round}`;
    const watch = new MarkerWatch(observers, marker, true);
    const system = await tmuxSystem(tmux, `bench-flood-${round}`, observers, directory, {
      command: floodScript(bytes, marker),
      probe: watch,
    });
    defer(() => system.close());
    const clients = (
      await tmux.tmux('list-clients', '-t', `bench-flood-${round}`, '-F', '#{client_pid}')
    ).stdout
      .trim()
      .split('\n')
      .map(Number);
    watch.arm();
    const clientsBefore = processCpuSeconds(clients);
    const cpuBefore = tmux.cpuSeconds();
    const benchBefore = benchCpuSeconds();
    const start = performance.now();
    system.send('\r');
    await withDeadline(watch.done, CONFIG.flood.timeoutMs, 'the tmux flood').catch((error) =>
      console.error(String(error)),
    );
    const benchCpu = benchCpuSeconds() - benchBefore;
    const clientCpu = processCpuSeconds(clients) - clientsBefore;
    let cpu = null;
    try {
      cpu = tmux.cpuSeconds() - cpuBefore;
    } catch {
      // the server is gone
    }
    return floodResult(watch, start, cpu, benchCpu, { clientCpuSeconds: round2(clientCpu) });
  });
}

async function floodPhase(directory) {
  const { megabytes, observers, rounds } = CONFIG.flood;
  const bytes = megabytes * 1e6;
  return scoped(async (defer) => {
    const hub = await startHub();
    defer(() => hub.close());
    const tmux = await startTmux(directory);
    if (tmux) defer(() => tmux.close());
    const results = { bytes, observers, tmux: tmux?.version ?? null, rounds: [] };
    const deadline = performance.now() + CONFIG.phaseDeadlineMs * 2;
    for (let round = 0; round < rounds && performance.now() <= deadline; round++) {
      // Alternate which system goes first, so neither always runs on a machine the other just warmed.
      const order = round % 2 === 0 ? ['hub', 'tmux'] : ['tmux', 'hub'];
      const entry = { round };
      for (const system of order) {
        if (system === 'hub') entry.hub = await hubFloodRound(hub, bytes, observers, round);
        else if (tmux) entry.tmux = await tmuxFloodRound(tmux, directory, bytes, observers, round);
      }
      entry.hubOverTmux = entry.tmux ? ratio(entry.hub.lastMs, entry.tmux.lastMs) : null;
      if (round === 0) entry.hubNoObservers = await hubFloodRound(hub, bytes, 0, 'mirror');
      results.rounds.push(entry);
      console.log(
        `  flood round ${round + 1}: hub ${entry.hub.lastMs} ms, tmux ${entry.tmux?.lastMs ?? '-'} ms, ` +
          `hub ÷ tmux ${entry.hubOverTmux ?? '-'}`,
      );
    }
    return results;
  });
}

// ---- 3. idle sessions: the hub's memory -----------------------------------------------------------------

const IDLE_PROMPT = 'bench-idle$';
/**
 * Two kinds of idle session. `prompt`: `bash --norc` at its prompt, a near-empty screen. `scrollback`: a
 * session that printed `scrollbackLines` coloured log lines (more than the mirror's 1,000 rows of
 * scrollback, so its buffer is full), then waits in `cat`: the most an idle session's mirror holds.
 */
const IDLE_KINDS = {
  prompt: {
    options: {
      command: 'bash',
      args: ['--norc', '--noprofile'],
      env: { PS1: `${IDLE_PROMPT} `, HISTFILE: '/dev/null' },
    },
    shows: IDLE_PROMPT,
  },
  scrollback: {
    options: { command: '/bin/sh', args: ['-c', logScript(1200, 'BENCH-IDLE-FULL')] },
    shows: 'BENCH-IDLE-FULL',
  },
};

async function startIdleSessions(hub, kind, count, prefix, directory, live) {
  const { options, shows } = IDLE_KINDS[kind];
  const ids = [];
  for (let index = 0; index < count; index++) {
    const session = await hub.owner.createSession({
      ...options,
      name: `${prefix}-${index}`,
      cwd: directory,
      ...SIZE,
    });
    ids.push(session.id);
    live.add(session.id);
  }
  // Every session has drawn what it shows when idle; bounded in rounds and time.
  const waiting = new Set(ids);
  await waitUntil(
    async () => {
      for (const id of [...waiting]) if ((await screenText(hub, id)).includes(shows)) waiting.delete(id);
      return waiting.size === 0;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `${count} idle sessions to settle` },
  );
  return ids;
}

async function endAll(hub, ids, live) {
  for (const id of ids) {
    await endSession(hub, id);
    live.delete(id);
  }
}

async function idlePhase(directory) {
  const { sessions, warmup, settleMs, cpuWindowMs } = CONFIG.idle;
  return scoped(async (defer) => {
    const hub = await startHub({ exposeGc: true });
    defer(() => hub.close());
    const live = new Set();
    defer(() => endAll(hub, [...live], live));
    const result = { sessions, kinds: {} };
    for (const kind of Object.keys(IDLE_KINDS)) {
      // Warm-up: the first sessions load code (xterm, node-pty) that stays loaded; not a per-session cost.
      await endAll(hub, await startIdleSessions(hub, kind, warmup, `warm-${kind}`, directory, live), live);
      await sleep(500);
      const before = await hub.memory();
      const ids = await startIdleSessions(hub, kind, sessions, `idle-${kind}`, directory, live);
      await sleep(settleMs);
      const cpuBefore = await hub.cpuSeconds();
      await sleep(cpuWindowMs);
      const idleCpu = (await hub.cpuSeconds()) - cpuBefore;
      const after = await hub.memory();
      await endAll(hub, ids, live);
      await sleep(500);
      const removed = await hub.memory();
      const perSession = (key) => Math.round((after.memory[key] - before.memory[key]) / sessions);
      result.collected = after.collected;
      result.kinds[kind] = {
        rssBeforeMiB: round2(before.memory.rss / MiB),
        rssAfterMiB: round2(after.memory.rss / MiB),
        rssAfterRemoveMiB: round2(removed.memory.rss / MiB),
        // Still held once they are gone: near 0 means the RSS that stays is the allocator's, not a leak.
        heapAndExternalLeftMiB: round2(
          (removed.memory.heapUsed +
            removed.memory.external -
            before.memory.heapUsed -
            before.memory.external) /
            MiB,
        ),
        perSessionBytes: {
          rss: perSession('rss'),
          heapUsed: perSession('heapUsed'),
          external: perSession('external'),
        },
        idleCpuPercent: round2((idleCpu / (cpuWindowMs / 1000)) * 100),
      };
    }
    return result;
  });
}

// ---- 4. delegation to an idle session -------------------------------------------------------------------

async function delegationPhase(directory) {
  const { samples: count, warmup, idleMs, turnTimeoutMs } = CONFIG.delegation;
  return scoped(async (defer) => {
    const hub = await startHub({ instrument: true, claudeBinary: FAKE_CLAUDE });
    defer(() => hub.close());
    const name = 'bench-target';
    const state = { status: undefined, changedAt: performance.now(), tail: '' };
    const events = new Map();
    let sessionId;
    // Listening before the session exists: its first status change may come at once.
    hub.owner.onMessage((message) => {
      const at = performance.now();
      if (message.type === 'session.event' && message.session.name === name) {
        if (message.session.status !== state.status) {
          state.status = message.session.status;
          state.changedAt = at;
          state.statuses?.push(state.status);
        }
      } else if (message.type === 'task.event' && message.task.toSession === sessionId) {
        const seen = events.get(message.task.id) ?? {};
        seen[message.task.status] ??= at;
        events.set(message.task.id, seen);
      } else if (message.type === 'pty.output' && message.session === sessionId) {
        state.tail = (state.tail + message.data).slice(-4096);
        state.onOutput?.(at);
      }
    });
    const session = await hub.owner.createSession({ name, cwd: directory, ...SIZE });
    sessionId = session.id;
    defer(() => endSession(hub, session.id));
    await hub.owner.attach(session.id, 'observe');
    await waitUntil(async () => (await screenText(hub, session.id)).includes('fake claude ready'), {
      timeoutMs: 15_000,
      what: 'the fake agent to start',
    });
    await hub.timings();
    const samples = [];
    const deadline = performance.now() + CONFIG.phaseDeadlineMs;
    for (let index = 0; index < warmup + count && performance.now() <= deadline; index++) {
      // Idle, and idle long enough that no injector pump from the last status change is pending.
      await waitUntil(() => state.status === 'idle' && performance.now() - state.changedAt >= idleMs, {
        timeoutMs: turnTimeoutMs,
        intervalMs: 10,
        what: 'the target to be idle',
      });
      const text = `bench delegation ${index} of ${warmup + count}`;
      let shownAt;
      state.tail = '';
      state.onOutput = (at) => {
        if (shownAt === undefined && visibleText(state.tail).includes(text)) shownAt = at;
      };
      state.statuses = [];
      const start = performance.now();
      const reply = await hub.owner.expect('task.result', {
        type: 'task.delegate',
        to: session.id,
        instructions: text,
      });
      const repliedAt = performance.now();
      const task = reply.task.id;
      // The turn ran (the fake agent submitted the prompt and stopped): the target is idle again.
      await waitUntil(
        () => shownAt !== undefined && state.statuses.includes('working') && state.status === 'idle',
        { timeoutMs: turnTimeoutMs, intervalMs: 5, what: `delegation ${index} to be worked on` },
      );
      const seen = events.get(task) ?? {};
      samples.push({
        task,
        replyMs: repliedAt - start,
        deliveredEventMs: seen.delivered === undefined ? null : seen.delivered - start,
        shownMs: shownAt - start,
      });
    }
    const hubRecords = new Map((await hub.timings()).delegate.map((record) => [record.task, record]));
    const measured = samples.slice(warmup);
    const hubOf = (key) =>
      measured.map((sample) => hubRecords.get(sample.task)?.[key]).filter((value) => value !== null);
    const delivered = hubOf('deliveredMs');
    return {
      samples: measured.length,
      hub: {
        queued: summarize(hubOf('queuedMs').map(roundMs)),
        delivered: summarize(delivered.map(roundMs)),
      },
      client: {
        reply: summarize(measured.map((sample) => roundMs(sample.replyMs))),
        deliveredEvent: summarize(
          measured.filter((s) => s.deliveredEventMs !== null).map((s) => roundMs(s.deliveredEventMs)),
        ),
        shownOnTarget: summarize(measured.map((sample) => roundMs(sample.shownMs))),
      },
    };
  });
}

// ---- verdicts and report ---------------------------------------------------------------------------------

function verdicts(results) {
  const list = [];
  const { lateJoin, flood, idle, delegation } = results;
  if (lateJoin) {
    const { p50, p99 } = lateJoin.hub;
    list.push({
      budget:
        `late-join snapshot (screen + ${lateJoin.snapshotRows - SIZE.rows} rows of scrollback) ` +
        `≤ ${BUDGETS.lateJoinMs} ms of hub time`,
      measured: `hub p50 ${p50} ms, p99 ${p99} ms`,
      verdict:
        p99 <= BUDGETS.lateJoinMs ? 'met' : p50 <= BUDGETS.lateJoinMs ? 'met at p50, not at p99' : 'not met',
    });
  } else list.push({ budget: 'late-join snapshot', verdict: 'not measured' });
  if (flood?.tmux) {
    const ratios = flood.rounds.map((entry) => entry.hubOverTmux);
    const complete = ratios.every((value) => value !== null);
    list.push({
      budget: `${flood.bytes / 1e6} MB flood with ${flood.observers} observers no slower than tmux`,
      measured: `hub ÷ tmux ${ratios.join(', ')}`,
      verdict: !complete
        ? 'not met (a view never saw the end)'
        : ratios.every((value) => value <= BUDGETS.floodOverTmux)
          ? 'met'
          : ratios.every((value) => value > BUDGETS.floodOverTmux)
            ? 'not met'
            : 'uncertain',
    });
  } else list.push({ budget: 'output flood against tmux', verdict: 'not measured' });
  if (idle) {
    for (const [kind, figures] of Object.entries(idle.kinds)) {
      const perSession = figures.perSessionBytes.rss;
      list.push({
        budget: `${idle.sessions} idle sessions (${kind}) ≤ 3 MB of hub memory each`,
        measured: `${round2(perSession / MiB)} MiB (${round2(perSession / 1e6)} MB) of hub RSS per session`,
        verdict: perSession <= BUDGETS.idleBytesPerSession ? 'met' : 'not met',
      });
    }
  } else list.push({ budget: 'idle memory', verdict: 'not measured' });
  if (delegation) {
    const { p50, p99 } = delegation.hub.delivered;
    list.push({
      budget: `delegation delivered to an idle target ≤ ${BUDGETS.delegationMs} ms of hub time`,
      measured: `hub p50 ${p50} ms, p99 ${p99} ms`,
      verdict:
        p99 <= BUDGETS.delegationMs
          ? 'met'
          : p50 <= BUDGETS.delegationMs
            ? 'met at p50, not at p99'
            : 'not met',
    });
  } else list.push({ budget: 'delegation', verdict: 'not measured' });
  return list;
}

const line = (label, stats) =>
  `  ${label.padEnd(44)} p50 ${String(stats.p50).padStart(9)}  p99 ${String(stats.p99).padStart(9)}  ` +
  `max ${String(stats.max).padStart(9)}  n=${stats.n}`;

function printLateJoin(result) {
  console.log(
    `\nLate join: ${result.lines} lines printed; snapshot ${result.snapshotRows} rows, ` +
      `${result.snapshotChars} chars as a frame; ${result.joins} joins (ms)`,
  );
  console.log(line('hub: attach frame in → snapshot frame sent', result.hub));
  console.log(line('hub: … of which the mirror snapshot', result.hubMirror));
  console.log(line('client (plain ws): attach sent → frame in', result.client.rawArrived));
  console.log(line('client (plain ws): … → parsed', result.client.rawParsed));
  console.log(line('client (HubClient): attach() resolved', result.client.hubClient));
}

function printFlood(result) {
  console.log(
    `\nFlood: ${result.bytes / 1e6} MB, ${result.observers} views; time to the last view showing the end (ms)`,
  );
  const labels = { hub: 'hub', tmux: 'tmux', hubNoObservers: 'hub, 0 views (mirror)' };
  for (const entry of result.rounds) {
    for (const system of ['hub', 'tmux', 'hubNoObservers']) {
      const figures = entry[system];
      if (!figures) continue;
      console.log(
        `  round ${entry.round + 1} ${labels[system].padEnd(22)} last ${String(figures.lastMs).padStart(9)}  ` +
          `server CPU ${figures.cpuSeconds} s  bench CPU ${figures.benchCpuSeconds} s` +
          (figures.clientCpuSeconds === undefined ? '' : `  tmux clients CPU ${figures.clientCpuSeconds} s`) +
          `  chars/view ${figures.charsPerView} in ${figures.chunksPerView} chunks` +
          (figures.resyncs === undefined ? '' : `  resyncs ${figures.resyncs}`),
      );
    }
    console.log(`  round ${entry.round + 1} hub ÷ tmux ${entry.hubOverTmux ?? '-'}`);
  }
}

function printIdle(result) {
  const mib = (bytes) => round2(bytes / MiB);
  console.log(
    `\nIdle: ${result.sessions} sessions of each kind${result.collected ? ', after GC' : ', NO GC'}`,
  );
  for (const [kind, figures] of Object.entries(result.kinds)) {
    const { rss, heapUsed, external } = figures.perSessionBytes;
    console.log(
      `  ${kind.padEnd(10)} hub RSS ${figures.rssBeforeMiB} → ${figures.rssAfterMiB} MiB ` +
        `(${figures.rssAfterRemoveMiB} after removing them, heap + external ${figures.heapAndExternalLeftMiB} ` +
        `MiB above the baseline); per session RSS ${mib(rss)} MiB, heap ` +
        `${mib(heapUsed)} MiB, external ${mib(external)} MiB; hub CPU while idle ${figures.idleCpuPercent} %`,
    );
  }
}

function printDelegation(result) {
  console.log(`\nDelegation to an idle fake-agent session: ${result.samples} samples (ms)`);
  console.log(line('hub: task.delegate in → reply (queued)', result.hub.queued));
  console.log(line('hub: task.delegate in → delivered (typed)', result.hub.delivered));
  console.log(line('client: request → reply', result.client.reply));
  console.log(line('client: request → task.event delivered', result.client.deliveredEvent));
  console.log(line('client: request → target prints it', result.client.shownOnTarget));
}

async function main() {
  const startedAt = Date.now();
  const directory = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-budgets-'));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const cpus = os.cpus();
  const info = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    ...revision(),
    loadAverageAtStart: loadAverage(),
  };
  console.log(
    `Switchboard budgets bench: ${info.cpus} x ${info.cpuModel}, ${info.platform}, Node ${info.node}; ` +
      `commit ${info.commit}${info.dirty ? ' + uncommitted src-* changes' : ''}; ` +
      `load average ${info.loadAverageAtStart.join(' ')}`,
  );
  const results = {};
  const only = process.env.BENCH_ONLY?.split(',');
  const phases = [
    ['lateJoin', () => lateJoinPhase(), printLateJoin],
    ['flood', () => floodPhase(directory), printFlood],
    ['idle', () => idlePhase(directory), printIdle],
    ['delegation', () => delegationPhase(directory), printDelegation],
  ];
  for (const [name, run, print] of phases) {
    if (only && !only.includes(name)) continue;
    const phaseStart = performance.now();
    try {
      results[name] = await run();
      results[name].seconds = round2((performance.now() - phaseStart) / 1000);
      print(results[name]);
      console.log(`  (${results[name].seconds} s; load average ${loadAverage().join(' ')})`);
    } catch (error) {
      console.error(
        `${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      results[name] = null;
      process.exitCode = 1;
    }
  }
  const checks = verdicts(results);
  console.log('\nARCHITECTURE.md §7 budgets:');
  for (const check of checks) {
    console.log(
      `  ${check.verdict.toUpperCase().padEnd(10)} ${check.budget}${check.measured ? `: ${check.measured}` : ''}`,
    );
  }
  const report = {
    command: 'npm run bench:budgets',
    startedAt: new Date(startedAt).toISOString(),
    seconds: round2((Date.now() - startedAt) / 1000),
    machine: { ...info, loadAverageAtEnd: loadAverage() },
    config: CONFIG,
    results,
    budgets: checks,
  };
  const directoryOut = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(directoryOut, { recursive: true });
  // A partial run (BENCH_ONLY) does not overwrite the last full one.
  const file = only ? 'budgets-partial.json' : 'budgets.json';
  writeFileSync(join(directoryOut, file), JSON.stringify(report, null, 2) + '\n');
  console.log(`\nWrote bench/results/${file} (${report.seconds} s).`);
}

await runBench(main, cleanUp, CONFIG.runDeadlineMs);
