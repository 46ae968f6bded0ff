// Docker worker benchmark (issue #5): time from a spawn_worker call to the worker's session being
// attachable (and to its program's first screen), against the same for a session on this machine, and the
// memory of a worker (its container's, and the hub's share). Needs a dockerd and the offline test image
// (`npm test` builds it). Run with `npm run bench:workers`; figures in docs/benchmarks.md.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createHub, memoryLogger } from '../dist/src-hub/index.js';
import { connectDocker } from '../dist/src-hub/workers/docker.js';
import { summarize } from './lib/stats.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FAKE = join(ROOT, 'test/fixtures/fake-claude.mjs');
const IMAGE = process.env.SWITCHBOARD_BENCH_IMAGE ?? 'switchboard-test-worker:latest';
const CONFIG = { spawns: 10, resident: 5, readyTimeoutMs: 30_000 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(predicate, timeoutMs, what) {
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const docker = connectDocker();
try {
  await docker.getImage(IMAGE).inspect();
} catch {
  console.error(
    `No image ${IMAGE}: run \`npx vitest run test/workers.test.ts\` once (it builds it offline).`,
  );
  process.exit(1);
}

const scratch = mkdtempSync(join(os.tmpdir(), 'switchboard-bench-workers-'));
const repo = join(scratch, 'repo');
mkdirSync(repo);
chmodSync(repo, 0o755);
const hub = createHub({
  stateDir: join(scratch, 'state'),
  logger: memoryLogger(),
  claude: { binary: FAKE, unreportedGraceSeconds: 600 },
  workers: {
    image: IMAGE,
    command: 'node',
    args: [FAKE],
    mounts: [{ source: ROOT, target: ROOT, readOnly: true }],
    budgets: { concurrentWorkers: CONFIG.resident + 2, workersPerTree: 100 },
  },
});
const url = await hub.listen({ port: 0, writeHubFile: false });
const client = await hub.connect();
const mcp = new Client({ name: 'bench', version: '1.0.0' });
await mcp.connect(
  new StreamableHTTPClientTransport(new URL('/mcp', url), {
    requestInit: { headers: { Authorization: `Bearer ${hub.ownerToken}` } },
  }),
);

/** One spawn: the tool call, then attach (snapshot back), then the program's first prompt on screen. */
async function spawnOnce(tool, args) {
  const start = performance.now();
  const result = await mcp.callTool({ name: tool, arguments: args });
  if (result.isError) throw new Error(result.content.map((part) => part.text).join(''));
  const called = performance.now();
  const session = result.structuredContent.session_id;
  await client.attach(session, 'observe');
  const attached = performance.now();
  await until(
    async () => (await client.screen(session)).lines.join('\n').includes('fake claude ready'),
    CONFIG.readyTimeoutMs,
    'the first prompt',
  );
  const ready = performance.now();
  await client.detach(session);
  return { session, call: called - start, attachable: attached - start, ready: ready - start };
}

async function end(session) {
  await hub.registry.resolve(session).kill();
}

const results = {};
try {
  for (const [label, tool, args] of [
    ['worker', 'spawn_worker', { instructions: 'hello', repo }],
    ['local', 'delegate', { instructions: 'hello', cwd: repo }],
  ]) {
    await end((await spawnOnce(tool, args)).session); // warm-up: images and caches
    const samples = [];
    for (let index = 0; index < CONFIG.spawns; index++) {
      const sample = await spawnOnce(tool, args);
      samples.push(sample);
      await end(sample.session);
    }
    results[label] = Object.fromEntries(
      ['call', 'attachable', 'ready'].map((key) => [key, summarize(samples.map((sample) => sample[key]))]),
    );
  }

  // Memory: N workers resident at once (idle at their prompt).
  global.gc?.();
  const hubBefore = process.memoryUsage().rss;
  const resident = [];
  for (let index = 0; index < CONFIG.resident; index++)
    resident.push((await spawnOnce('spawn_worker', { instructions: 'hello', repo })).session);
  await sleep(1000);
  const hubAfter = process.memoryUsage().rss;
  const containers = [];
  for (const session of resident) {
    const info = hub.registry.resolve(session).info().worker;
    const stats = await docker.getContainer(info.container).stats({ stream: false });
    const memory = stats.memory_stats;
    // cgroup v1 counts page cache in usage; what the worker holds is usage minus cache.
    containers.push((memory.usage - (memory.stats?.cache ?? memory.stats?.inactive_file ?? 0)) / 2 ** 20);
  }
  results.memory = {
    containerMiB: summarize(containers),
    hubMiBPerWorker: Math.round(((hubAfter - hubBefore) / CONFIG.resident / 2 ** 20) * 100) / 100,
  };
  for (const session of resident) await end(session);
} finally {
  await mcp.close().catch(() => undefined);
  client.close();
  await Promise.all(hub.registry.list().map((session) => session.kill()));
  await hub.close();
  rmSync(scratch, { recursive: true, force: true });
}

const row = (label, key) =>
  `${label.padEnd(8)} ${key.padEnd(11)} p50 ${String(results[label][key].p50).padStart(8)} ms   max ${String(results[label][key].max).padStart(8)} ms`;
console.log(
  `Docker workers, ${CONFIG.spawns} spawns each (after one warm-up), load ${os.loadavg()[0].toFixed(2)}`,
);
for (const label of ['worker', 'local'])
  for (const key of ['call', 'attachable', 'ready']) console.log(row(label, key));
console.log(
  `ratio worker/local attachable p50: ${(results.worker.attachable.p50 / results.local.attachable.p50).toFixed(2)}, ready p50: ${(results.worker.ready.p50 / results.local.ready.p50).toFixed(2)}`,
);
console.log(
  `memory: container p50 ${results.memory.containerMiB.p50.toFixed(1)} MiB (max ${results.memory.containerMiB.max.toFixed(1)}), hub +${results.memory.hubMiBPerWorker} MiB RSS per worker`,
);
mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(
  join(ROOT, 'bench/results/workers.json'),
  JSON.stringify({ at: new Date().toISOString(), config: CONFIG, results }, null, 2),
);
