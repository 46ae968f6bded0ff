// The hub under test in a process of its own, as `switchboard hub` runs: bench/run.mjs forks it and
// talks to it over IPC (ready with URL and owner token, CPU usage on request, close).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHub, memoryLogger } from '../../dist/src-hub/index.js';

const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-hub-'));
const hub = createHub({ stateDir, logger: memoryLogger() });
const url = await hub.listen({ port: 0 });

let closing;
const close = () =>
  (closing ??= hub.close().finally(() => rmSync(stateDir, { recursive: true, force: true })));

process.on('message', (message) => {
  if (message?.type === 'usage') {
    process.send({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  } else if (message?.type === 'close') {
    void close().finally(() => process.send({ type: 'closed' }, () => process.exit(0)));
  }
});
// Ctrl-C reaches the whole process group: the bench cleans up and then tells us to close.
process.on('SIGINT', () => undefined);
// The bench died or dropped us: never outlive it.
process.on('disconnect', () => void close().finally(() => process.exit(0)));

process.send({ type: 'ready', url, token: hub.ownerToken });
