// A real `switchboard hub` process under attack, in a private SWITCHBOARD_HOME (soak, browser attack):
// its pid for RSS and liveness, the owner's token, and the real CLI against it.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readHubFile } from '../src-hub/stateDir.js';
import { waitUntil } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'switchboard');

export interface HubProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly url: string;
  readonly port: number;
  readonly home: string;
  readonly ownerToken: string;
  /** Set once the process has exited (it must not, under attack). */
  readonly exit: { code: number | null; signal: string | null } | undefined;
  output(): string;
  /** Resident memory of the hub process in KiB (VmRSS), or undefined once it is gone. */
  rssKiB(): number | undefined;
  /** Runs `switchboard ARGS...` as the owner (SWITCHBOARD_HOME only); killed after `timeoutMs`. */
  cli(args: string[], timeoutMs?: number): Promise<CliRun>;
  /** SIGTERM (SIGKILL after 15 s), then removes its home. Safe to call twice. */
  stop(): Promise<void>;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Our environment without Switchboard's variables, so the CLI finds the hub through hub.json alone. */
function cleanEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('SWITCHBOARD_') && key !== 'TMUX') env[key] = value;
  return { ...env, SWITCHBOARD_HOME: home };
}

export function vmRssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

export async function startAttackedHub(): Promise<HubProcess> {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'switchboard-hostile-')));
  const child = spawn(process.execPath, [BIN, 'hub', '--port', '0'], {
    cwd: ROOT,
    env: cleanEnv(home),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let exit: HubProcess['exit'];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((done) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      done();
    }),
  );
  const stop = async () => {
    if (!exit) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitUntil(() => /listening on /.test(output) || exit !== undefined, 20_000, 'the hub to listen');
    if (exit) throw new Error(`the hub exited early (${JSON.stringify(exit)}): ${output}`);
  } catch (error) {
    await stop();
    throw error;
  }
  const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
  const ownerToken = readHubFile(home)!.token;
  return {
    child,
    pid: child.pid!,
    url,
    port: Number(new URL(url).port),
    home,
    ownerToken,
    get exit() {
      return exit;
    },
    output: () => output,
    rssKiB: () => (exit ? undefined : vmRssKiB(child.pid!)),
    cli: (args, timeoutMs = 20_000) =>
      new Promise<CliRun>((done) => {
        const started = Date.now();
        execFile(
          process.execPath,
          [BIN, ...args],
          { cwd: ROOT, env: cleanEnv(home), timeout: timeoutMs, killSignal: 'SIGKILL' },
          (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
            done({ code, stdout, stderr, ms: Date.now() - started });
          },
        );
      }),
    stop,
  };
}
