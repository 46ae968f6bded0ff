// Issue 13 #6: what working out tasks' own token use costs a hook. One session's transcript of N messages
// (in memory, as the reader keeps them); each read works out every task still open or just closed, so a
// hook costs (those tasks) × windowUsage over all N messages. Run after `npm run build`.
import { performance } from 'node:perf_hooks';
import { windowUsage } from '../dist/src-hub/usage/taskWindow.js';

const MESSAGES = Number(process.env.MESSAGES ?? 10_000);
const TASKS = Number(process.env.TASKS ?? 10);
const ROUNDS = 200;
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const messages = Array.from({ length: MESSAGES }, (_, index) => ({
  model: 'claude-sonnet-4-5-20250929',
  at: T0 + index * 1000,
  inputTokens: 1000 + (index % 7),
  outputTokens: 200,
  cacheReadTokens: 50_000,
  cacheCreationTokens: 1000,
}));
const span = (MESSAGES * 1000) / TASKS;
const windows = Array.from({ length: TASKS }, (_, task) => ({
  from: T0 + task * span,
  to: T0 + (task + 1) * span,
}));

const hook = () => windows.map((window) => windowUsage(messages, window).inputTokens);
for (let warm = 0; warm < 20; warm++) hook();
const times = [];
for (let round = 0; round < ROUNDS; round++) {
  const start = performance.now();
  hook();
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const at = (q) => times[Math.floor(q * (times.length - 1))].toFixed(2);
console.log(
  `${MESSAGES} messages, ${TASKS} tasks worked out per hook: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms`,
);
