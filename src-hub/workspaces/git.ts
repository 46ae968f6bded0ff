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
