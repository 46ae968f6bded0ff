// Issue 9: everything a real hub writes under its state directory is private to its user: directories
// 0700 (a pre-existing 0755 one is tightened) and files 0600 (the database, its WAL and SHM, hub.log,
// hub.json, the sessions' entries), in a fresh directory and in one that already existed.
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestHub, waitForScreen, waitUntil } from './helpers.js';

let scratch: string;
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** Every entry under `root` (itself included) with its permission bits, as `path: mode` in octal. */
function modes(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const visit = (path: string, shown: string) => {
    const stat = lstatSync(path);
    result[shown] = `${stat.isDirectory() ? 'dir' : 'file'} ${(stat.mode & 0o777).toString(8)}`;
    if (stat.isDirectory())
      for (const entry of readdirSync(path)) visit(join(path, entry), `${shown}/${entry}`);
  };
  visit(root, '.');
  return result;
}

function expectPrivate(root: string): void {
  const found = modes(root);
  const loose = Object.entries(found).filter(([, mode]) => mode !== 'dir 700' && mode !== 'file 600');
  expect(loose, JSON.stringify(found, null, 2)).toEqual([]);
}

async function runHubIn(stateDir: string): Promise<void> {
  // `logger: undefined` makes the hub write its real hub.log, as `switchboard hub` does.
  const hub = await startTestHub({ stateDir, logger: undefined });
  try {
    const client = await hub.client();
    const session = await client.createSession({
      name: 'printer',
      command: 'sh',
      args: ['-c', 'echo private-marker; sleep 30'],
    });
    await waitForScreen(client, session.id, 'private-marker');
    await client.kill(session.id); // an ended session also writes its final screen
    await waitUntil(() => hub.hub.registry.resolve(session.id).isEnded, 10_000, 'the session to end');
    expect(Object.keys(modes(stateDir))).toEqual(
      expect.arrayContaining([
        './switchboard.db',
        './switchboard.db-wal',
        './switchboard.db-shm',
        './hub.json',
      ]),
    );
    expectPrivate(stateDir); // while the hub runs: WAL and SHM exist now
  } finally {
    await hub.close();
  }
  expect(Object.keys(modes(stateDir))).toEqual(expect.arrayContaining(['./hub.log']));
  expectPrivate(stateDir);
}

describe('issue 9: the state directory is private', () => {
  it('a fresh state directory: directories 0700, files 0600', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'switchboard-perms-'));
    await runHubIn(join(scratch, 'state'));
  });

  it('a state directory that already exists with mode 0755 is tightened to 0700', async () => {
    scratch = mkdtempSync(join(tmpdir(), 'switchboard-perms-'));
    const stateDir = join(scratch, 'state');
    mkdirSync(stateDir);
    chmodSync(stateDir, 0o755); // whatever the umask

    await runHubIn(stateDir);
  });
});
