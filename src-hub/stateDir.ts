// Where the hub keeps its state (private to its user: directories 0700, files 0600), and hub.json: how
// other processes find and authenticate to it.
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { lazySchema } from '../src-protocol/messages/lazy.js';
import { HubError } from '../src-protocol/index.js';

/** `$SWITCHBOARD_HOME`, else the platform's usual per-user data directory. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SWITCHBOARD_HOME) return env.SWITCHBOARD_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchboard');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Switchboard');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'switchboard');
}

export const HubFileSchema = lazySchema(() =>
  z.object({
    url: z.string(),
    /** The hub's Unix domain socket, where it has one: local clients connect there rather than to `url`. */
    socket: z.string().optional(),
    pid: z.number().int(),
    token: z.string(),
    /** The kernel's start time of `pid` (Linux): a later process that reuses the pid is not this hub. */
    pidStart: z.string().optional(),
  }),
);
export type HubFile = z.infer<typeof HubFileSchema>;

export const hubFilePath = (stateDir: string) => join(stateDir, 'hub.json');

/**
 * Creates the state directory 0700, and tightens one that exists with looser modes (it holds the owner
 * token, the database and every session's screen). One this user cannot chmod is refused (issue 9).
 */
export function ensureStateDir(
  stateDir: string,
  chmod: (path: string, mode: number) => void = chmodSync,
): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const mode = statSync(stateDir).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  try {
    chmod(stateDir, 0o700);
  } catch (error) {
    throw new HubError(
      'not_allowed',
      `The state directory ${stateDir} is mode ${mode.toString(8)} (others can read it) and this user cannot ` +
        `make it private (${(error as NodeJS.ErrnoException).code ?? String(error)}). Run \`chmod 700 ${stateDir}\` ` +
        'as its owner, or set SWITCHBOARD_HOME to a directory of your own.',
    );
  }
}

/** Makes `path` a file only its owner may read and write: created empty 0600, or an older one chmodded. */
export function privateFile(path: string): void {
  if (existsSync(path)) chmodSync(path, 0o600);
  else closeSync(openSync(path, 'a', 0o600));
}

/** Written atomically with mode 0600: the owner token must never be readable by other users. */
export function writeHubFile(stateDir: string, file: HubFile): void {
  ensureStateDir(stateDir);
  const temporary = `${hubFilePath(stateDir)}.${process.pid}.tmp`;
  const pidStart = file.pidStart ?? processStat(file.pid)?.startTime;
  const written = pidStart === undefined ? file : { ...file, pidStart };
  writeFileSync(temporary, JSON.stringify(written, null, 2) + '\n', { mode: 0o600 });
  renameSync(temporary, hubFilePath(stateDir));
}

export function readHubFile(stateDir: string): HubFile | undefined {
  const path = hubFilePath(stateDir);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = HubFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // half-written or hand-edited: treat as no hub
  }
}

/** Removes hub.json only if it still describes this process (another hub may have replaced it). */
export function removeHubFile(stateDir: string, pid = process.pid): void {
  try {
    if (readHubFile(stateDir)?.pid === pid) rmSync(hubFilePath(stateDir));
  } catch {
    // A corrupt or vanished file is not ours to worry about on the way out.
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A process's state letter and start time from /proc (Linux); undefined elsewhere or once it is gone. */
export function processStat(pid: number): { state: string; startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces and parentheses): state is the 3rd, starttime the 22nd.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] === undefined ? undefined : { state: fields[0]!, startTime: fields[19] };
  } catch {
    return undefined;
  }
}

/**
 * Whether the hub that hub.json describes still runs: its process exists, is not a zombie (a hub killed
 * with SIGKILL stays one until reaped), and is the same process, not a later one that got its pid.
 */
export function isHubAlive(file: Pick<HubFile, 'pid' | 'pidStart'>): boolean {
  if (!isProcessAlive(file.pid)) return false;
  const stat = processStat(file.pid);
  if (stat === undefined) return process.platform !== 'linux';
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return file.pidStart === undefined || file.pidStart === stat.startTime;
}

const lastPortPath = (stateDir: string) => join(stateDir, 'last-port');

/** The port the hub last listened on, kept across restarts (workers call back to it). */
export function readLastPort(stateDir: string): number | undefined {
  try {
    const port = Number(readFileSync(lastPortPath(stateDir), 'utf8').trim());
    return Number.isInteger(port) && port > 0 && port < 65536 ? port : undefined;
  } catch {
    return undefined;
  }
}

export function writeLastPort(stateDir: string, port: number): void {
  writeFileSync(lastPortPath(stateDir), `${port}\n`, { mode: 0o600 });
}
