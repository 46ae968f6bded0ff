// The hub the loopback LAN tests share (issue 10): a LAN listener on 127.0.0.1, an owner, a `shared` session,
// invitee clients and `switchboard join` processes that each test's file cleans up.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { connectHub } from '../src-cli/connect.js';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import type { HubClient } from '../src-protocol/index.js';
import { hubEnv } from './hubProcess.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'switchboard');

export let stateDir: string;
export let hub: Hub;
export let logger: ReturnType<typeof memoryLogger>;
export let owner: HubClient;
export let session = '';
export const clients: HubClient[] = [];
export const children: ChildProcess[] = [];

export async function startHub(limits: Record<string, number> = {}) {
  logger = memoryLogger();
  hub = createHub({ stateDir, logger, limits: { joinApprovalMs: 1_500, ...limits } });
  await hub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
  owner = await hub.connect();
}

export const lan = () => hub.lan!;
export async function invitee(token: string, options: { fingerprint?: string } = {}) {
  const client = await connectHub(
    { url: lan().url, token },
    { fingerprint: options.fingerprint ?? lan().fingerprint, autoAck: true, requestTimeoutMs: 10_000 },
  );
  clients.push(client);
  return client;
}

export function join_(link: string, home = mkdtempSync(join(tmpdir(), 'switchboard-joiner-'))) {
  const child = spawn(process.execPath, [BIN, 'join', link], { env: hubEnv(home), stdio: 'pipe' });
  children.push(child);
  const output = { stdout: '', stderr: '', code: null as number | null, exited: false };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  child.once('exit', (code) => Object.assign(output, { code, exited: true }));
  return { child, output, home };
}

/** A hub with a LAN listener on 127.0.0.1 and a `shared` session, for the file that calls this. */
export function useLanHub(): void {
  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'switchboard-lan-'));
    await startHub();
    session = (await owner.createSession({ name: 'shared', command: '/bin/cat', cols: 80, rows: 12 })).id;
  }, 30_000);

  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  afterAll(async () => {
    owner?.close();
    await hub?.close();
    rmSync(stateDir, { recursive: true, force: true });
  });
}

/** Stops the hub and starts it again on the same state directory, with a fresh `shared2` session. */
export async function restartHub(): Promise<void> {
  owner.close();
  await hub.close();
  await startHub();
  session = (await owner.createSession({ name: 'shared2', command: '/bin/cat', cols: 80, rows: 12 })).id;
}
