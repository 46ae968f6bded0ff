// Working copies with real git: parallel delegations in one repository, diff summaries, merge-back,
// conflicts, rebase, and cleanup that never deletes uncommitted work.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubClient, TaskInfo } from '../src-protocol/index.js';
import { fixture, startTestHub, waitUntil, type TestHub } from './helpers.js';

let hub: TestHub;
let owner: HubClient;
let repo: string;

const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  }).trim();

beforeEach(async () => {
  repo = mkdtempSync(join(tmpdir(), 'switchboard-git-'));
  gitIn(repo, 'init', '-q', '-b', 'main');
  gitIn(repo, 'config', 'user.email', 'dev@example.test');
  gitIn(repo, 'config', 'user.name', 'Dev');
  writeFileSync(join(repo, 'shared.txt'), 'original\n');
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-q', '-m', 'initial');
  hub = await startTestHub({ claude: { binary: fixture('fake-claude.mjs') } });
  owner = await hub.client();
});
afterEach(async () => {
  await hub.close();
  rmSync(repo, { recursive: true, force: true });
});

const report = 'CALL report_result {"status":"done","summary":"edited"}';
async function delegateInWorktree(
  lines: string[],
  title: string,
  worktree: boolean | string = true,
): Promise<TaskInfo> {
  const reply = await owner.request({
    type: 'task.delegate',
    instructions: [...lines, report].join('\n'),
    title,
    cwd: repo,
    worktree,
    waitSeconds: 30,
  });
  return (reply as { task: TaskInfo }).task;
}
const merge = (task: string, mode: 'merge' | 'rebase' | 'discard', force = false) =>
  owner.request({ type: 'worktree.merge', task, mode, force });
const worktreeOf = (task: TaskInfo) => hub.hub.registry.resolve(task.toSession).spec.worktree!;

describe('a worktree per delegation', () => {
  it('runs two delegations in one repository in parallel without touching each other, with diff summaries', async () => {
    const [first, second] = await Promise.all([
      delegateInWorktree(['WRITE first.txt from the first task'], 'first'),
      delegateInWorktree(
        ['WRITE second.txt from the second task', 'WRITE shared.txt changed by second'],
        'second',
      ),
    ]);
    expect(first.status).toBe('done');
    expect(second.status).toBe('done');
    const [a, b] = [worktreeOf(first), worktreeOf(second)];
    expect(a.path).not.toBe(b.path);
    expect(a.path.startsWith(join(hub.stateDir, 'worktrees'))).toBe(true);
    expect(a.branch).toMatch(/^switchboard\//);
    expect(existsSync(join(a.path, 'first.txt'))).toBe(true);
    expect(existsSync(join(a.path, 'second.txt'))).toBe(false);
    expect(readFileSync(join(a.path, 'shared.txt'), 'utf8')).toBe('original\n');
    expect(readFileSync(join(b.path, 'shared.txt'), 'utf8')).toBe('changed by second\n');
    expect(existsSync(join(repo, 'first.txt')) || existsSync(join(repo, 'second.txt'))).toBe(false);
    expect(first.result?.diff).toEqual({ branch: a.branch, files: 1, insertions: 1, deletions: 0 });
    expect(second.result?.diff).toMatchObject({ branch: b.branch, files: 2, insertions: 2, deletions: 1 });

    const sessions = await owner.listSessions();
    expect(sessions.find((session) => session.id === first.toSession)?.worktree).toMatchObject({
      branch: a.branch,
      dirty: 1,
    });
  });

  it('merges one back into the repository, and reports a conflict without changing anything', async () => {
    const [one, two] = await Promise.all([
      delegateInWorktree(['WRITE shared.txt version one'], 'one'),
      delegateInWorktree(['WRITE shared.txt version two'], 'two'),
    ]);
    const merged = await merge(one.id, 'merge');
    expect(merged).toMatchObject({ outcome: 'merged', conflicts: [] });
    expect(readFileSync(join(repo, 'shared.txt'), 'utf8')).toBe('version one\n');
    expect(gitIn(repo, 'log', '--format=%s', '-n', '2')).toContain('switchboard: one');

    const head = gitIn(repo, 'rev-parse', 'HEAD');
    const conflict = await merge(two.id.slice(0, 8), 'merge');
    expect(conflict).toMatchObject({ outcome: 'conflict', conflicts: ['shared.txt'] });
    expect((conflict as { message: string }).message).toContain('shared.txt');
    expect(gitIn(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(gitIn(repo, 'status', '--porcelain')).toBe('');
    expect(existsSync(join(repo, '.git', 'MERGE_HEAD'))).toBe(false);
  });

  it('rebases a branch onto the current one and fast-forwards', async () => {
    const task = await delegateInWorktree(['WRITE feature.txt new feature'], 'feature', 'feature/rebased');
    writeFileSync(join(repo, 'other.txt'), 'moved on\n');
    gitIn(repo, 'add', '.');
    gitIn(repo, 'commit', '-q', '-m', 'meanwhile');
    expect(await merge(task.id, 'rebase')).toMatchObject({ outcome: 'rebased', branch: 'feature/rebased' });
    expect(gitIn(repo, 'log', '--format=%s', '-n', '2').split('\n')).toEqual([
      `switchboard: feature (task ${task.id.slice(0, 8)})`,
      'meanwhile',
    ]);
  });

  it('refuses to discard uncommitted work without --force, and cleans up only empty worktrees', async () => {
    const dirty = await delegateInWorktree(['WRITE wip.txt not committed'], 'dirty');
    await expect(merge(dirty.id, 'discard')).rejects.toMatchObject({
      code: 'uncommitted_work',
      message: expect.stringContaining('uncommitted') as unknown,
    });
    expect(existsSync(worktreeOf(dirty).path)).toBe(true);

    const empty = await delegateInWorktree([], 'empty');
    const emptyPath = worktreeOf(empty).path;
    const dirtyPath = worktreeOf(dirty).path;
    await owner.kill(empty.toSession);
    await owner.kill(dirty.toSession);
    await waitUntil(() => !existsSync(emptyPath), 10_000, 'the empty worktree to be cleaned up');
    await waitUntil(
      () =>
        hub.logger.events.some((event) => event.event === 'worktree.cleanup' && event.outcome === 'dirty'),
      10_000,
      'the dirty cleanup decision',
    );
    expect(existsSync(join(dirtyPath, 'wip.txt'))).toBe(true);

    expect(await merge(dirty.id, 'discard', true)).toMatchObject({ outcome: 'discarded' });
    expect(existsSync(dirtyPath)).toBe(false);
    expect(gitIn(repo, 'branch', '--list', worktreeOf(dirty).branch)).toBe('');
  });

  it('explains what it cannot do', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'switchboard-nogit-'));
    try {
      await expect(owner.createSession({ cwd: plain, worktree: true })).rejects.toMatchObject({
        message: expect.stringContaining('needs a git repository') as unknown,
      });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
    const noWorktree = (await owner.request({
      type: 'task.delegate',
      instructions: report,
      cwd: repo,
      waitSeconds: 30,
    })) as { task: TaskInfo };
    await expect(merge(noWorktree.task.id, 'merge')).rejects.toMatchObject({
      message: expect.stringContaining('did not run in a worktree') as unknown,
    });
    await expect(
      owner.request({
        type: 'task.delegate',
        instructions: 'x',
        to: noWorktree.task.toSession,
        worktree: true,
      }),
    ).rejects.toMatchObject({ code: 'invalid_message' });
  });
});
