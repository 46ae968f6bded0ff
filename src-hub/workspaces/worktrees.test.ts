// WorktreeManager and TaskWorktrees with real git in a temporary directory, without a hub: what a
// worktree is made from, what its diff counts, and what cleanup keeps (never uncommitted work).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../../src-protocol/index.js';
import { memoryLogger } from '../logger.js';
import { openDatabase, type HubDatabase } from '../store/database.js';
import type { TaskRouter } from '../tasks/router.js';
import { TaskWorktrees } from './taskWorktrees.js';
import { WorktreeManager } from './worktrees.js';

let dir: string;
let repo: string;
let database: HubDatabase;
let manager: WorktreeManager;

const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  }).trim();

function commitAll(cwd: string, message: string): void {
  gitIn(cwd, 'add', '-A');
  gitIn(cwd, '-c', 'user.email=dev@example.test', '-c', 'user.name=Dev', 'commit', '-q', '-m', message);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-worktrees-unit-'));
  repo = join(dir, 'repo');
  mkdirSync(join(repo, 'sub'), { recursive: true });
  gitIn(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'sub', 'a.txt'), 'one\ntwo\n');
  commitAll(repo, 'initial');
  mkdirSync(join(dir, 'state'));
  database = openDatabase(join(dir, 'state'));
  manager = new WorktreeManager(database, join(dir, 'state', 'worktrees'));
});

afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('WorktreeManager.create', () => {
  it('makes worktrees asked for at the same moment one after another, each on its own branch', async () => {
    // Without the per-repository queue, concurrent `git worktree add`s read each other's half-made
    // .git/worktrees entries ("failed to read .../commondir") and two creates pick the same free name.
    const done = await manager.create('s0', repo, undefined, 'other');
    const made = await Promise.all([
      ...Array.from({ length: 8 }, (_, index) => manager.create(`c${index}`, repo, undefined, 'claude')),
      manager.cleanup(done.worktree),
    ]);
    const created = made.slice(0, 8) as { worktree: { branch: string; path: string } }[];
    const branches = created.map((entry) => entry.worktree.branch);
    expect(new Set(branches).size).toBe(8);
    expect(branches).toContain('switchboard/claude');
    expect(branches).toContain('switchboard/claude-8');
    for (const entry of created) expect(existsSync(join(entry.worktree.path, 'sub', 'a.txt'))).toBe(true);
    expect(made[8]).toBe('removed');
    // git itself agrees: the eight worktrees and the main checkout, nothing half-made.
    expect(gitIn(repo, 'worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(9);
  });

  it('starts the session in the same subdirectory of the worktree, on a free switchboard/ branch', async () => {
    const first = await manager.create('s1', join(repo, 'sub'), undefined, 'claude-1');
    expect(first.worktree.branch).toBe('switchboard/claude-1');
    expect(first.cwd).toBe(join(first.worktree.path, 'sub'));
    expect(existsSync(join(first.cwd, 'a.txt'))).toBe(true);
    // The branch name is taken now: the next worktree with that label gets the next free one.
    gitIn(repo, 'worktree', 'remove', '--force', first.worktree.path);
    const second = await manager.create('s2', repo, undefined, 'claude-1');
    expect(second.worktree.branch).toBe('switchboard/claude-1-2');
    expect(manager.forSession('s2')).toMatchObject({ branch: 'switchboard/claude-1-2', removedAt: null });
  });

  it('refuses a directory outside any repository, and a repository without a commit, saying what to do', async () => {
    const plain = join(dir, 'plain');
    mkdirSync(plain);
    await expect(manager.create('s1', plain, undefined, 'x')).rejects.toMatchObject({
      code: 'invalid_message',
      message: expect.stringContaining('is not inside one') as unknown,
    });
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    gitIn(empty, 'init', '-q');
    await expect(manager.create('s1', empty, undefined, 'x')).rejects.toMatchObject({
      message: expect.stringContaining('commit once') as unknown,
    });
  });
});

describe('WorktreeManager.diffSummary and cleanup', () => {
  it('counts uncommitted changes and new files against the base', async () => {
    const { worktree } = await manager.create('s1', repo, undefined, 'w');
    writeFileSync(join(worktree.path, 'sub', 'a.txt'), 'one\nTWO\nthree\n');
    writeFileSync(join(worktree.path, 'new.txt'), 'a\nb\nc\n');
    expect(await manager.diffSummary(worktree)).toEqual({
      branch: 'switchboard/w',
      files: 2,
      insertions: 2 + 3,
      deletions: 1,
    });
  });

  it('keeps a worktree with uncommitted work (dirty) or commits (unmerged), and removes an empty one', async () => {
    const { worktree } = await manager.create('s1', repo, undefined, 'w');
    writeFileSync(join(worktree.path, 'work.txt'), 'precious\n');
    expect(await manager.cleanup(worktree)).toBe('dirty');
    commitAll(worktree.path, 'work');
    expect(await manager.cleanup(worktree)).toBe('unmerged');
    const { worktree: empty } = await manager.create('s2', repo, undefined, 'e');
    expect(await manager.cleanup(empty)).toBe('removed');
    expect(existsSync(empty.path)).toBe(false);
    expect(manager.forSession('s2')?.removedAt).not.toBeNull();
    expect(await manager.cleanup(empty)).toBe('gone');
  });

  it('refuses to discard uncommitted work without force (uncommitted_work)', async () => {
    const { worktree } = await manager.create('s1', repo, undefined, 'w');
    writeFileSync(join(worktree.path, 'work.txt'), 'precious\n');
    await expect(manager.merge(worktree, 'discard', { message: 'm' })).rejects.toMatchObject({
      code: 'uncommitted_work',
    });
    expect(existsSync(join(worktree.path, 'work.txt'))).toBe(true);
  });
});

describe('TaskWorktrees.merge', () => {
  const taskIn = (session: string, status: TaskInfo['status']) =>
    ({ id: 'task-1', toSession: session, status, title: 'work' }) as TaskInfo;
  const tasks = (task: TaskInfo) =>
    new TaskWorktrees(
      manager,
      { get: () => Promise.resolve(task) } as unknown as TaskRouter,
      memoryLogger(),
      'keep',
    );

  it('issue 14: refuses a task that is still open (queued, delivered, running) unless forced', async () => {
    await manager.create('s1', repo, undefined, 'w');
    for (const status of ['queued', 'delivered', 'running'] as const)
      await expect(tasks(taskIn('s1', status)).merge('task-1', 'merge', false)).rejects.toMatchObject({
        code: 'not_allowed',
        message: expect.stringContaining(`still ${status}`) as unknown,
      });
    const forced = await tasks(taskIn('s1', 'running')).merge('task-1', 'merge', true);
    expect(forced.outcome).toBe('merged');
  });

  it('merges a closed task, and refuses one that ran without a worktree', async () => {
    const { worktree } = await manager.create('s1', repo, undefined, 'w');
    writeFileSync(join(worktree.path, 'done.txt'), 'done\n');
    const merged = await tasks(taskIn('s1', 'unreported')).merge('task-1', 'merge', false);
    expect(merged).toMatchObject({ outcome: 'merged', branch: 'switchboard/w' });
    expect(existsSync(join(repo, 'done.txt'))).toBe(true);
    await expect(tasks(taskIn('elsewhere', 'done')).merge('task-1', 'merge', false)).rejects.toMatchObject({
      message: expect.stringContaining('did not run in a worktree') as unknown,
    });
  });
});
