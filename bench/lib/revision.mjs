// What a bench run measured: the commit, whether src-* differed from it (dist/ is built from the working
// tree), and the load the shared machine was under.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export function revision() {
  const git = (...args) =>
    execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return {
      commit: git('rev-parse', '--short', 'HEAD'),
      dirty: git('status', '--porcelain', '--', 'src-*') !== '',
    };
  } catch {
    return { commit: 'unknown', dirty: null };
  }
}

export const loadAverage = () => os.loadavg().map((load) => Math.round(load * 100) / 100);
