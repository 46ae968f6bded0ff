// The input audit is written in batches a while after the keystrokes (issue 12, inputAuditDelayMs); an
// orderly stop of the hub writes what is still waiting, so no keystroke goes unaudited when the hub stops.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { fixture, outputOf, startTestHub } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('writes the waiting input audit rows when the hub closes, long before their delay', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-audit-flush-'));
  dirs.push(stateDir);
  // An hour's delay: only the stop can have written these rows.
  const hub = await startTestHub({ stateDir, limits: { inputAuditDelayMs: 3_600_000 } });
  const owner = await hub.client();
  const session = await owner.createSession({
    name: 'echo',
    command: process.execPath,
    args: [fixture('echo-prompt.mjs')],
  });
  const view = outputOf(owner, session.id);
  await owner.attach(session.id, 'drive');
  await hub.hub.registry.resolve(session.id).mirror.flushed();
  for (const line of ['one\r', 'two\r', 'three\r']) await owner.input(session.id, line);
  await view.waitFor('got:three');
  const database = new Database(join(stateDir, 'switchboard.db'), { readonly: true });
  const count = database.prepare(
    "SELECT COUNT(*) AS n FROM events WHERE kind = 'session.input' AND session = ?",
  );
  expect((count.get(session.id) as { n: number }).n).toBe(0); // still waiting for its delay
  await hub.close();
  expect((count.get(session.id) as { n: number }).n).toBe(3);
  database.close();
});
