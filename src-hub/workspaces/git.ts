// Runs git with arguments (never a shell) and turns failures into errors that carry git's own words.
import { execFile } from 'node:child_process';

export class GitError extends Error {
  constructor(
    readonly args: string[],
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.trim() || `exit ${exitCode}`}`);
    this.name = 'GitError';
  }
}

/** Identity for commits the hub makes, used only when the repository has none configured. */
const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: 'Switchboard',
  GIT_AUTHOR_EMAIL: 'switchboard@localhost',
  GIT_COMMITTER_NAME: 'Switchboard',
  GIT_COMMITTER_EMAIL: 'switchboard@localhost',
};

export function git(cwd: string, args: string[], options: { identity?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    execFile(
      'git',
      ['-C', cwd, ...args],
      { env: options.identity ? { ...FALLBACK_IDENTITY, ...env } : env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new GitError(args, stderr, typeof error.code === 'number' ? error.code : null));
        else resolve(stdout);
      },
    );
  });
}

/** Lines of output, without the empty last one. */
export const lines = (output: string) => output.split('\n').filter((line) => line.length > 0);

// Git commands that change a repository's worktrees or refs run one at a time per repository: two
// `git worktree add` at once can read each other's half-written .git/worktrees/<name> ("failed to read
// .../commondir"), and two sessions asking for a branch at once could both find the same name free.
// Keyed by the repository's common git directory, so a worktree and its main checkout share one queue.
const queues = new Map<string, Promise<unknown>>();
const commonDirs = new Map<string, string>();

async function commonDir(cwd: string): Promise<string> {
  const known = commonDirs.get(cwd);
  if (known) return known;
  const dir = await git(cwd, ['rev-parse', '--path-format=absolute', '--git-common-dir']).then(
    (output) => output.trim(),
    () => cwd,
  );
  if (commonDirs.size > 1000) commonDirs.clear();
  commonDirs.set(cwd, dir);
  return dir;
}

/** Runs `work` once every earlier `inRepoQueue` work of the same repository has settled. */
export async function inRepoQueue<T>(cwd: string, work: () => Promise<T>): Promise<T> {
  const key = await commonDir(cwd);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(work, work);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}
