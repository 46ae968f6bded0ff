// Where the hub keeps its state, and hub.json: how other processes find and authenticate to it.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';

/** `$SWITCHBOARD_HOME`, else the platform's usual per-user data directory. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.SWITCHBOARD_HOME) return env.SWITCHBOARD_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Switchboard');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Switchboard');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'switchboard');
}

export const HubFileSchema = z.object({ url: z.string(), pid: z.number().int(), token: z.string() });
export type HubFile = z.infer<typeof HubFileSchema>;

export const hubFilePath = (stateDir: string) => join(stateDir, 'hub.json');

export function ensureStateDir(stateDir: string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
}

/** Written atomically with mode 0600: the owner token must never be readable by other users. */
export function writeHubFile(stateDir: string, file: HubFile): void {
  ensureStateDir(stateDir);
  const temporary = `${hubFilePath(stateDir)}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
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
