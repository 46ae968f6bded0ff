// A git worktree per session: created on a new branch under the state directory, described (branch, dirty
// files, diff against its base), merged back, rebased or discarded, and cleaned up without ever deleting
// uncommitted work unless asked to.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { HubError } from '../../src-protocol/index.js';
import type { HubDatabase } from '../store/database.js';
import { git, GitError, inRepoQueue, lines } from './git.js';

export interface Worktree {
  session: string;
  repo: string;
  path: string;
  branch: string;
  /** The commit the branch started from. */
  base: string;
  removedAt: string | null;
}

export interface DiffSummary {
  branch: string;
  files: number;
  insertions: number;
  deletions: number;
}

export type MergeMode = 'merge' | 'rebase' | 'discard';
export interface MergeOutcome {
  outcome: 'merged' | 'rebased' | 'discarded' | 'conflict';
  branch: string;
  conflicts: string[];
  message: string;
}

interface Row {
  session: string;
  repo: string;
  path: string;
  branch: string;
  base: string;
  removed_at: string | null;
}
const fromRow = (row: Row): Worktree => ({ ...row, removedAt: row.removed_at });

/** Lines of a new text file, as `git diff` would count them once added (binary or huge files: 0). */
function countLines(path: string): number {
  try {
    if (statSync(path).size > 8 * 1024 * 1024) return 0;
    const content = readFileSync(path);
    if (content.includes(0)) return 0;
    const text = content.toString('utf8');
    return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
  } catch {
    return 0;
  }
}

export class WorktreeManager {
  private readonly insert;
  private readonly bySession;
  private readonly markRemoved;

  constructor(
    database: HubDatabase,
    private readonly root: string,
  ) {
    this.insert = database.prepare(
      'INSERT INTO worktrees (session, repo, path, branch, base, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.bySession = database.prepare('SELECT * FROM worktrees WHERE session = ?');
    this.markRemoved = database.prepare('UPDATE worktrees SET removed_at = ? WHERE session = ?');
  }

  /** Creates the worktree for a session that asked to start in `cwd`; returns the cwd to use instead. */
  async create(
    session: string,
    cwd: string,
    branch: string | undefined,
    label: string,
  ): Promise<{ worktree: Worktree; cwd: string }> {
    const repo = await git(cwd, ['rev-parse', '--show-toplevel']).then(
      (output) => output.trim(),
      () => {
        throw new HubError(
          'invalid_message',
          `A worktree needs a git repository; "${cwd}" is not inside one.`,
        );
      },
    );
    const base = await git(repo, ['rev-parse', '--verify', 'HEAD']).then(
      (output) => output.trim(),
      () => {
        throw new HubError(
          'invalid_message',
          `Repository "${repo}" has no commit yet; commit once, then ask for a worktree.`,
        );
      },
    );
    return inRepoQueue(repo, () => this.add(session, cwd, repo, base, branch, label));
  }

  private async add(
    session: string,
    cwd: string,
    repo: string,
    base: string,
    branch: string | undefined,
    label: string,
  ): Promise<{ worktree: Worktree; cwd: string }> {
    const name = branch ?? (await this.freeBranch(repo, `switchboard/${label}`));
    await git(repo, ['check-ref-format', '--branch', name]).catch(() => {
      throw new HubError('invalid_message', `"${name}" is not a valid branch name.`);
    });
    const exists = await this.branchExists(repo, name);
    const repoKey = `${basename(repo)}-${createHash('sha256').update(repo).digest('hex').slice(0, 8)}`;
    const path = join(this.root, repoKey, name.replace(/[^\w.-]+/g, '-'));
    if (existsSync(path))
      throw new HubError('name_taken', `Worktree folder ${path} already exists; pick another branch.`);
    mkdirSync(join(this.root, repoKey), { recursive: true, mode: 0o700 });
    try {
      await git(repo, exists ? ['worktree', 'add', path, name] : ['worktree', 'add', '-b', name, path, base]);
    } catch (error) {
      throw new HubError(
        'invalid_message',
        `Could not create the worktree: ${(error as GitError).stderr.trim()}`,
      );
    }
    const worktree: Worktree = { session, repo, path, branch: name, base, removedAt: null };
    this.insert.run(session, repo, path, name, base, new Date().toISOString());
    return { worktree, cwd: resolve(path, relative(repo, resolve(cwd))) };
  }

  forSession(session: string): Worktree | undefined {
    const row = this.bySession.get(session) as Row | undefined;
    return row ? fromRow(row) : undefined;
  }

  /** Uncommitted entries (modified, added, deleted, untracked) in the worktree. */
  async dirtyFiles(worktree: Worktree): Promise<string[]> {
    if (worktree.removedAt || !existsSync(worktree.path)) return [];
    return lines(await git(worktree.path, ['status', '--porcelain', '--untracked-files=all']));
  }

  /** Files, insertions and deletions of the worktree (commits and uncommitted work) against its base. */
  async diffSummary(worktree: Worktree): Promise<DiffSummary> {
    const location = worktree.removedAt || !existsSync(worktree.path) ? worktree.repo : worktree.path;
    const target = location === worktree.repo ? worktree.branch : undefined;
    const numstat = lines(
      await git(location, ['diff', '--numstat', worktree.base, ...(target ? [target] : [])]),
    );
    const untracked = target
      ? []
      : lines(await git(location, ['ls-files', '--others', '--exclude-standard']));
    let insertions = 0;
    let deletions = 0;
    for (const line of numstat) {
      const [added, removed] = line.split('\t');
      insertions += Number(added) || 0; // binary files show "-"
      deletions += Number(removed) || 0;
    }
    for (const file of untracked) insertions += countLines(join(location, file));
    return { branch: worktree.branch, files: numstat.length + untracked.length, insertions, deletions };
  }

  merge(
    worktree: Worktree,
    mode: MergeMode,
    options: { force?: boolean; message: string },
  ): Promise<MergeOutcome> {
    return inRepoQueue(worktree.repo, () => this.mergeNow(worktree, mode, options));
  }

  private async mergeNow(
    worktree: Worktree,
    mode: MergeMode,
    options: { force?: boolean; message: string },
  ): Promise<MergeOutcome> {
    if (mode === 'discard') return this.discard(worktree, options.force === true);
    await this.commitPending(worktree, options.message);
    const target = (await git(worktree.repo, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
    if (mode === 'merge') {
      try {
        await git(worktree.repo, ['merge', '--no-ff', '--no-edit', worktree.branch], {
          identity: !(await this.hasIdentity(worktree.repo)),
        });
      } catch (error) {
        const conflicts = lines(await git(worktree.repo, ['diff', '--name-only', '--diff-filter=U']));
        if (conflicts.length > 0) await git(worktree.repo, ['merge', '--abort']);
        return this.failed(
          worktree,
          error as GitError,
          conflicts,
          `merging ${worktree.branch} into ${target}`,
        );
      }
      await this.removeIfDone(worktree);
      return {
        outcome: 'merged',
        branch: worktree.branch,
        conflicts: [],
        message: `Merged ${worktree.branch} into ${target}.`,
      };
    }
    if (worktree.removedAt)
      throw new HubError('not_allowed', `The worktree of ${worktree.branch} is gone; merge it instead.`);
    try {
      await git(worktree.path, ['rebase', target], { identity: !(await this.hasIdentity(worktree.repo)) });
    } catch (error) {
      const conflicts = lines(await git(worktree.path, ['diff', '--name-only', '--diff-filter=U']));
      await git(worktree.path, ['rebase', '--abort']).catch(() => undefined);
      return this.failed(
        worktree,
        error as GitError,
        conflicts,
        `rebasing ${worktree.branch} onto ${target}`,
      );
    }
    await git(worktree.repo, ['merge', '--ff-only', worktree.branch]);
    await this.removeIfDone(worktree);
    return {
      outcome: 'rebased',
      branch: worktree.branch,
      conflicts: [],
      message: `Rebased ${worktree.branch} onto ${target} and fast-forwarded.`,
    };
  }

  /**
   * After its session ended: removes the worktree when it holds nothing (clean, no commits beyond its
   * base). Returns why it kept it otherwise. Never deletes uncommitted work.
   */
  cleanup(worktree: Worktree): Promise<'removed' | 'dirty' | 'unmerged' | 'gone'> {
    return inRepoQueue(worktree.repo, () => this.cleanupNow(worktree));
  }

  private async cleanupNow(worktree: Worktree): Promise<'removed' | 'dirty' | 'unmerged' | 'gone'> {
    if (worktree.removedAt) return 'gone';
    if ((await this.dirtyFiles(worktree)).length > 0) return 'dirty';
    const ahead = Number(
      (await git(worktree.repo, ['rev-list', '--count', `${worktree.base}..${worktree.branch}`])).trim(),
    );
    if (ahead > 0) return 'unmerged';
    await this.remove(worktree, true);
    return 'removed';
  }

  private async discard(worktree: Worktree, force: boolean): Promise<MergeOutcome> {
    const dirty = await this.dirtyFiles(worktree);
    if (dirty.length > 0 && !force) {
      throw new HubError(
        'uncommitted_work',
        `Worktree ${worktree.path} has ${dirty.length} uncommitted change(s); discarding would delete them. ` +
          'Force the discard to delete them anyway (switchboard merge --discard --force).',
      );
    }
    await this.remove(worktree, true);
    return {
      outcome: 'discarded',
      branch: worktree.branch,
      conflicts: [],
      message: `Discarded ${worktree.branch} and its worktree.`,
    };
  }

  private async remove(worktree: Worktree, deleteBranch: boolean): Promise<void> {
    if (!worktree.removedAt && existsSync(worktree.path))
      await git(worktree.repo, ['worktree', 'remove', '--force', worktree.path]);
    await git(worktree.repo, ['worktree', 'prune']);
    if (deleteBranch) await git(worktree.repo, ['branch', '-D', worktree.branch]).catch(() => undefined);
    this.markRemoved.run(new Date().toISOString(), worktree.session);
    worktree.removedAt = new Date().toISOString();
  }

  /** Merged: the worktree folder has done its job (the branch stays, as git keeps merged branches). */
  private async removeIfDone(worktree: Worktree): Promise<void> {
    if ((await this.dirtyFiles(worktree)).length === 0) await this.remove(worktree, false);
  }

  private async commitPending(worktree: Worktree, message: string): Promise<void> {
    if ((await this.dirtyFiles(worktree)).length === 0) return;
    await git(worktree.path, ['add', '-A']);
    await git(worktree.path, ['commit', '-m', message], {
      identity: !(await this.hasIdentity(worktree.repo)),
    });
  }

  private failed(worktree: Worktree, error: GitError, conflicts: string[], doing: string): MergeOutcome {
    if (conflicts.length === 0) throw new HubError('not_allowed', `Failed ${doing}: ${error.stderr.trim()}`);
    return {
      outcome: 'conflict',
      branch: worktree.branch,
      conflicts,
      message: `Conflict ${doing} in ${conflicts.join(', ')}; nothing was changed. Resolve it by hand or rebase the branch.`,
    };
  }

  private async hasIdentity(repo: string): Promise<boolean> {
    return git(repo, ['config', 'user.email']).then(
      (value) => value.trim().length > 0,
      () => false,
    );
  }

  private branchExists(repo: string, name: string): Promise<boolean> {
    return git(repo, ['rev-parse', '--verify', '--quiet', `refs/heads/${name}`]).then(
      () => true,
      () => false,
    );
  }

  private async freeBranch(repo: string, wanted: string): Promise<string> {
    for (let index = 1; index < 1000; index++) {
      const candidate = index === 1 ? wanted : `${wanted}-${index}`;
      if (!(await this.branchExists(repo, candidate))) return candidate;
    }
    throw new HubError('name_taken', `Too many branches named ${wanted}-N; pick a branch name.`);
  }
}
