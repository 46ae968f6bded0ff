// The worker agent: the first process of a worker container. It seeds an isolated Claude Code config (the
// first-run answers of reference/claude-code.md §8), waits for the hub to size the terminal, then runs the
// command the hub passed (claude and its launch flags) on the container's TTY, forwarding signals and
// exiting as it exits. In a Kubernetes pod with a repository it first clones the hub's bundle of it, and
// sends the commits back as Claude ends (docs/kubernetes.md, "The repository"). Node built-ins only: it is
// copied into the image alone.
import { execFileSync, spawn } from 'node:child_process';
import {
  accessSync,
  appendFileSync,
  constants,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';

/** ms: how long to wait for the hub's first resize before starting with whatever size the TTY has. */
const SIZE_WAIT_MS = 2_000;
/** Signals the hub (or `docker stop`/`docker kill`) sends to this process, passed on to the command. */
const FORWARDED: NodeJS.Signals[] = ['SIGHUP', 'SIGTERM', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

type Json = Record<string, unknown>;

function writable(directory: string): boolean {
  try {
    accessSync(directory, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A home the container's user can write to: the image's, else a fresh one (a host uid has no home here). */
function home(): string {
  const given = process.env.HOME;
  if (given && given !== '/' && writable(given)) return given;
  return mkdtempSync(join(tmpdir(), 'switchboard-home-'));
}

function readJson(path: string): Json {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch {
    return {};
  }
}

/** Merges the answers to Claude Code's first-run dialogs into its config (Claude Code rewrites the file). */
export function seedClaudeConfig(configDir: string, workdir: string, apiKey: string | undefined): void {
  mkdirSync(configDir, { recursive: true, mode: 0o700 });
  const path = join(configDir, '.claude.json');
  const config = readJson(path);
  const projects = (config.projects ?? {}) as Record<string, Json>;
  projects[workdir] = { ...projects[workdir], hasTrustDialogAccepted: true };
  const responses = (config.customApiKeyResponses ?? { approved: [], rejected: [] }) as {
    approved: string[];
    rejected: string[];
  };
  // Claude Code stores the last 20 characters of a key the user approved.
  if (apiKey && !responses.approved.includes(apiKey.slice(-20))) responses.approved.push(apiKey.slice(-20));
  writeFileSync(
    path,
    JSON.stringify(
      { ...config, hasCompletedOnboarding: true, projects, customApiKeyResponses: responses },
      null,
      2,
    ),
  );
  // The container is the sandbox: a bypass-permissions mode, when configured, starts without its warning.
  const settingsPath = join(configDir, 'settings.json');
  writeFileSync(
    settingsPath,
    JSON.stringify({ ...readJson(settingsPath), skipDangerousModePermissionPrompt: true }),
  );
}

/** Resolves once the TTY has a size (the hub resizes right after start), or after SIZE_WAIT_MS. */
function terminalSized(): Promise<void> {
  const sized = () => (process.stdout.columns ?? 0) > 0;
  if (!process.stdout.isTTY || sized()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, SIZE_WAIT_MS);
    process.stdout.on('resize', check);
    function check() {
      if (sized()) done();
    }
    function done() {
      clearTimeout(timer);
      process.stdout.off('resize', check);
      resolve();
    }
  });
}

/** The repository as a pod gets it from the hub: the branch to work on and the commit it started at. */
interface Repository {
  branch: string;
  base: string;
}

const runGit = (args: string[]) =>
  execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

const hubRequest = (path: string, init: RequestInit = {}) =>
  fetch(`${process.env.SWITCHBOARD_HUB_URL ?? ''}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${process.env.SWITCHBOARD_SESSION_TOKEN ?? ''}` },
  });

/** Clones the hub's bundle of the worker's branch into the working directory (which may hold files). */
export async function fetchRepository(workdir: string, configDir: string): Promise<Repository> {
  const response = await hubRequest('/workers/repository');
  if (!response.ok) throw new Error(`the hub answered ${response.status}: ${await response.text()}`);
  const branch = response.headers.get('x-switchboard-branch') ?? '';
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bundle-'));
  try {
    const file = join(scratch, 'repository.bundle');
    writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    runGit(['init', '--quiet', workdir]);
    runGit(['-C', workdir, 'fetch', '--quiet', '--no-tags', file, `refs/heads/${branch}`]);
    runGit(['-C', workdir, 'checkout', '--quiet', '-B', branch, 'FETCH_HEAD']);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Claude Code's own files never travel back with the work, wherever the image puts them.
  const config = relative(workdir, configDir);
  if (config && !config.startsWith('..')) appendFileSync(join(workdir, '.git/info/exclude'), `/${config}/\n`);
  return { branch, base: runGit(['-C', workdir, 'rev-parse', 'HEAD']) };
}

/** Commits what is left uncommitted, then sends the commits since `base` to the hub as a bundle. */
export async function sendWork(workdir: string, repository: Repository): Promise<string> {
  const { branch, base } = repository;
  const git = (...args: string[]) => runGit(['-C', workdir, ...args]);
  const hasIdentity = (() => {
    try {
      return git('config', 'user.email').length > 0;
    } catch {
      return false; // git config exits 1 when the key is unset
    }
  })();
  const identity = hasIdentity
    ? []
    : ['-c', 'user.name=Switchboard worker', '-c', 'user.email=worker@switchboard.invalid'];
  git('add', '--all');
  if (git('status', '--porcelain'))
    git(...identity, 'commit', '--quiet', '-m', 'switchboard: work left uncommitted in the worker pod');
  // What is checked out is the work, on whichever branch Claude left it.
  git('update-ref', `refs/heads/${branch}`, 'HEAD');
  if (git('rev-parse', 'HEAD') === base) return `no new commits on ${branch}`;
  const scratch = mkdtempSync(join(tmpdir(), 'switchboard-bundle-'));
  try {
    const file = join(scratch, 'work.bundle');
    git('bundle', 'create', '--quiet', file, `refs/heads/${branch}`, `^${base}`);
    const response = await hubRequest('/workers/work', { method: 'POST', body: readFileSync(file) });
    const answer = (await response.json().catch(() => ({}))) as { commits?: number; message?: string };
    if (!response.ok) throw new Error(`the hub answered ${response.status}: ${answer.message ?? ''}`);
    return `sent ${answer.commits ?? 0} commit(s) back to the hub onto ${branch}`;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const [command = 'claude', ...args] = process.argv.slice(2);
  const workdir = process.cwd();
  const homeDir = home();
  const configDir = process.env.CLAUDE_CONFIG_DIR ?? join(homeDir, '.claude');
  const environment: NodeJS.ProcessEnv = { ...process.env, HOME: homeDir, CLAUDE_CONFIG_DIR: configDir };
  seedClaudeConfig(configDir, workdir, process.env.ANTHROPIC_API_KEY);
  await terminalSized();
  const say = (text: string) => process.stdout.write(`switchboard worker: ${text}\r\n`);
  let repository: Repository | undefined;
  if (process.env.SWITCHBOARD_REPOSITORY === 'bundle') {
    try {
      repository = await fetchRepository(workdir, configDir);
      say(`cloned ${repository.branch} at ${repository.base.slice(0, 12)}`);
    } catch (error) {
      say(`cannot get the repository from the hub: ${String(error)}`);
      process.exit(1);
    }
  }
  // Same process group as this agent, the TTY's foreground group: Ctrl-C and SIGWINCH reach it directly.
  const child = spawn(command, args, { stdio: 'inherit', env: environment });
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
  process.on('SIGINT', () => undefined); // typed Ctrl-C already reached the command through the TTY
  child.on('error', (error: NodeJS.ErrnoException) => {
    process.stderr.write(`switchboard worker: cannot run "${command}": ${error.message}\r\n`);
    process.exit(error.code === 'ENOENT' ? 127 : 126);
  });
  child.on('exit', (code, signal) => {
    // As PID 1 this process would ignore the signal that ended its child: report it the shell's way.
    const status = code ?? 128 + (signal ? (osConstants.signals[signal] ?? 0) : 0);
    if (!repository) process.exit(status);
    sendWork(workdir, repository).then(
      (done) => (say(done), process.exit(status)),
      (error: unknown) => (say(`could not send the work back: ${String(error)}`), process.exit(status || 1)),
    );
  });
}

// Run as a program (the image's entrypoint); imported (unit tests), it only exports.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
