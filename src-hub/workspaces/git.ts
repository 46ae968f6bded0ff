// Runs git with arguments (never a shell) and turns failures into errors that carry git's own words.
import { spawn } from 'node:child_process';

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

/**
 * How long one git command may take before it is stopped (a commit hook or a signing prompt that never
 * returns would otherwise hold its repository's queue, below, for good).
 */
export const GIT_TIMEOUT_MS = 5 * 60_000;
const MAX_OUTPUT = 64 * 1024 * 1024;

export function git(
  cwd: string,
  args: string[],
  options: { identity?: boolean; timeoutMs?: number } = {},
): Promise<string> {
  const timeout = options.timeoutMs ?? GIT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
    // In a process group of its own, so that a stuck command is stopped with its hooks and helpers.
    const child = spawn('git', ['-C', cwd, ...args], {
      env: options.identity ? { ...FALLBACK_IDENTITY, ...env } : env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let failure: string | undefined;
    const stop = (why: string) => {
      failure ??= why;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_OUTPUT) stop(`git printed more than ${MAX_OUTPUT / 1024 / 1024} MiB and was stopped.`);
      else into.push(chunk);
    };
    child.stdout.on('data', collect(stdout));
    child.stderr.on('data', collect(stderr));
    const timer = setTimeout(
      () => stop(`git took longer than ${Math.round(timeout / 1000)} s and was stopped.`),
      timeout,
    );
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new GitError(args, error.message, null));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const errorText = Buffer.concat(stderr).toString('utf8');
      if (failure) reject(new GitError(args, `${errorText}${failure}`, null));
      else if (code !== 0) reject(new GitError(args, errorText, code));
      else resolve(Buffer.concat(stdout).toString('utf8'));
    });
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
    () => undefined,
  );
  // Not a repository (yet): its own queue this time, asked again next time.
  if (dir === undefined) return cwd;
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
