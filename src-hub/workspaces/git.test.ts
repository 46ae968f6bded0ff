// git() stops a command that never returns (a hook, a signing prompt), so one stuck command cannot hold its
// repository's queue (inRepoQueue) for good: the work queued behind it runs once it has been stopped.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { git, GitError, inRepoQueue } from './git.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-git-unit-'));
  execFileSync('git', ['-C', dir, 'init', '-q', '-b', 'main']);
  // A pre-commit hook that never ends, the way a stuck signing prompt would.
  writeFileSync(join(dir, '.git', 'hooks', 'pre-commit'), '#!/bin/sh\nexec sleep 60\n');
  chmodSync(join(dir, '.git', 'hooks', 'pre-commit'), 0o755);
  writeFileSync(join(dir, 'a.txt'), 'a\n');
  execFileSync('git', ['-C', dir, 'add', 'a.txt']);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('stops a git command past its time, says so, and lets the repository queue go on', async () => {
  const started = Date.now();
  const stuck = inRepoQueue(dir, () =>
    git(dir, ['commit', '-q', '-m', 'stuck'], { identity: true, timeoutMs: 800 }),
  );
  const behind = inRepoQueue(dir, () => git(dir, ['status', '--porcelain']));
  const error = await stuck.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(GitError);
  expect((error as GitError).stderr).toMatch(/took longer than 1 s and was stopped/);
  expect(await behind).toContain('A  a.txt');
  expect(Date.now() - started).toBeLessThan(30_000);
});
