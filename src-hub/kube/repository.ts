// A pod worker's repository, carried as git bundles (docs/kubernetes.md, "The repository"): the hub bundles
// the worker's worktree branch for the pod to clone, and takes the pod's work back as a bundle that must
// verify against the repository and fast-forward the branch. Nothing changes when a bundle is refused.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HubError } from '../../src-protocol/index.js';
import { git, GitError, inRepoQueue, lines } from '../workspaces/git.js';
import type { Worktree } from '../workspaces/worktrees.js';

/** Set in a pod worker's environment when its agent is to fetch the repository and send its work back. */
export const REPOSITORY_VARIABLE = 'SWITCHBOARD_REPOSITORY';

/** Whether `cwd` is inside a git repository with at least one commit (so a worktree can be made of it). */
export const hasCommit = (cwd: string) =>
  git(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD']).then(
    () => true,
    () => false,
  );

/** What the hub sent or took: the branch and the commit it is at now. */
export interface BranchState {
  branch: string;
  commit: string;
  /** Commits the branch moved forward by (0: the bundle brought nothing new). */
  commits: number;
}

const gitWords = (error: unknown) => (error instanceof GitError ? error.stderr.trim() : String(error));

/** A temporary directory for one bundle, removed by `dispose`. */
export function bundleDirectory(): { path: string; file: string; dispose(): void } {
  const path = mkdtempSync(join(tmpdir(), 'switchboard-bundle-'));
  return {
    path,
    file: join(path, 'work.bundle'),
    dispose: () => rmSync(path, { recursive: true, force: true }),
  };
}

const tipOf = async (worktree: Worktree) =>
  (await git(worktree.repo, ['rev-parse', '--verify', `refs/heads/${worktree.branch}^{commit}`])).trim();

/** Writes the worktree's branch (all its history) as a bundle to `file`; returns the branch and its commit. */
export async function bundleBranch(worktree: Worktree, file: string): Promise<BranchState> {
  const commit = await tipOf(worktree);
  await git(worktree.repo, ['bundle', 'create', '--quiet', file, `refs/heads/${worktree.branch}`]);
  return { branch: worktree.branch, commit, commits: 0 };
}

/**
 * Takes a pod's bundle into the worktree's branch: it must verify against the repository (its prerequisite
 * commits present), name the branch, and descend from the branch's tip. The worktree's files follow when
 * its folder is still there. Refused bundles leave branch, worktree and refs as they were.
 */
export function receiveBundle(worktree: Worktree, file: string): Promise<BranchState> {
  return inRepoQueue(worktree.repo, () => receiveNow(worktree, file));
}

async function receiveNow(worktree: Worktree, file: string): Promise<BranchState> {
  const { repo, branch } = worktree;
  await git(repo, ['bundle', 'verify', '--quiet', file]).catch((error: unknown) => {
    throw new HubError('bad_bundle', `Not a git bundle this repository can take: ${gitWords(error)}`);
  });
  const heads = lines(await git(repo, ['bundle', 'list-heads', file]));
  const ref = `refs/heads/${branch}`;
  const incoming = heads.map((line) => line.split(' ')).find(([, name]) => name === ref)?.[0];
  if (!incoming)
    throw new HubError(
      'bad_bundle',
      `The bundle does not carry branch ${branch} (it has: ${heads.length} refs).`,
    );
  const current = await tipOf(worktree);
  if (incoming === current) return { branch, commit: current, commits: 0 };
  // Fetched under a ref of its own first: the branch itself moves only once the checks pass.
  const staging = `refs/switchboard/incoming/${randomUUID()}`;
  try {
    await git(repo, ['fetch', '--quiet', '--no-tags', file, `+${ref}:${staging}`]).catch((error: unknown) => {
      throw new HubError('bad_bundle', `The bundle could not be fetched: ${gitWords(error)}`);
    });
    const descends = await git(repo, ['merge-base', '--is-ancestor', current, staging]).then(
      () => true,
      () => false,
    );
    if (!descends)
      throw new HubError(
        'not_fast_forward',
        `The pod's ${branch} does not descend from the hub's (${current.slice(0, 12)}); nothing was changed. ` +
          'Rebase the work onto the branch the pod was given and send it again.',
      );
    const commits = Number((await git(repo, ['rev-list', '--count', `${current}..${staging}`])).trim());
    if (!worktree.removedAt && existsSync(worktree.path))
      await git(worktree.path, ['merge', '--quiet', '--ff-only', staging]).catch((error: unknown) => {
        throw new HubError(
          'not_allowed',
          `The worktree ${worktree.path} has changes that the pod's work would overwrite: ${gitWords(error)}`,
        );
      });
    else await git(repo, ['update-ref', ref, staging, current]);
    return { branch, commit: incoming, commits };
  } finally {
    await git(repo, ['update-ref', '-d', staging]).catch(() => undefined);
  }
}
