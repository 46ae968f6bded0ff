// The hub under test in a process of its own, as `switchboard hub` runs: bench/run.mjs forks it and
// talks to it over IPC (ready with URL and owner token, CPU and memory usage on request, close).
// bench/budgets.mjs passes options (JSON in argv[2]): `claudeBinary` (the agent Claude sessions run) and
// `instrument` (time attach and delegation inside this process; see hubTimings.mjs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, memoryLogger } from '../../dist/src-hub/index.js';
import { instrumentHub } from './hubTimings.mjs';

const options = process.argv[2] ? JSON.parse(process.argv[2]) : {};
const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-hub-'));
const hub = createHub({
  stateDir,
  logger: memoryLogger(),
  // The idle-memory budget runs 100 sessions (and more between runs): past the default cap of 64.
  limits: { maxLiveSessions: 1000 },
  ...(options.claudeBinary ? { claude: { binary: options.claudeBinary } } : {}),
});
const timings = options.instrument ? instrumentHub(hub) : undefined;
const url = await hub.listen({ port: 0 });

let closing;
const close = () =>
  (closing ??= hub.close().finally(() => rmSync(stateDir, { recursive: true, force: true })));

process.on('message', (message) => {
  if (message?.type === 'usage') {
    process.send({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  } else if (message?.type === 'memory') {
    // With --expose-gc: two full collections first, so what remains is what the hub holds.
    const collected = typeof global.gc === 'function';
    if (collected) {
      global.gc();
      global.gc();
    }
    process.send({ type: 'memory', collected, memory: process.memoryUsage() });
  } else if (message?.type === 'timings') {
    process.send({ type: 'timings', timings: timings?.take() ?? null });
  } else if (message?.type === 'close') {
    void close().finally(() => process.send({ type: 'closed' }, () => process.exit(0)));
  }
});
// Ctrl-C reaches the whole process group: the bench cleans up and then tells us to close.
process.on('SIGINT', () => undefined);
// The bench died or dropped us: never outlive it.
process.on('disconnect', () => void close().finally(() => process.exit(0)));

// stateDir holds hub.json: the CLI finds the hub there, as it does a real one (bench/attach.mjs).
process.send({ type: 'ready', url, token: hub.ownerToken, stateDir });
