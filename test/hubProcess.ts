// A hub as its own process (`bin/switchboard hub`, from the build) and CLI runs against it, for tests that
// pass hub flags or kill the hub outright. Everything runs with a private SWITCHBOARD_HOME on loopback.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { waitUntil } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'switchboard');

export interface HubProcess {
  child: ChildProcess;
  url: string;
  exited: Promise<void>;
  /** SIGTERM (a clean stop), or SIGKILL after 15 s; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** Our environment without Switchboard variables, with this SWITCHBOARD_HOME and the extras given. */
export function hubEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('SWITCHBOARD_') && key !== 'TMUX') env[key] = value;
  return { ...env, SWITCHBOARD_HOME: home, ...extra };
}

export async function startHubProcess(
  home: string,
  args: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<HubProcess> {
  const child = spawn(process.execPath, [BIN, 'hub', '--port', '0', ...args], {
    cwd: ROOT,
    env: hubEnv(home, extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let gone = false;
  const exited = new Promise<void>((done) =>
    child.once('exit', () => {
      gone = true;
      done();
    }),
  );
  await waitUntil(() => /listening on /.test(output) || gone, 20_000, 'the hub to print its URL');
  if (gone) throw new Error(`the hub exited early: ${output}`);
  const url = /listening on (http:\/\/\S+)/.exec(output)![1]!;
  return {
    child,
    url,
    exited,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `switchboard ARGS...` against the hub of `home`; killed after 20 s so a hang fails. */
export function runCli(home: string, args: string[], cwd = ROOT): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: hubEnv(home), timeout: 20_000, killSignal: 'SIGKILL' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
