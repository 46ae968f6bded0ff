// Issue 9: after a crash (SIGKILL of the hub) and a restart on the same state directory, a plain command
// session is listed as ended with its last screen (saved now and then while it ran) until `rm`.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubMessage, SessionInfo } from '../src-protocol/index.js';
import { startTestHub, waitUntil } from './helpers.js';
import { runCli, startHubProcess, type HubProcess } from './hubProcess.js';
import { alive } from './processes.js';

let scratch: string;
const hubs: HubProcess[] = [];
const pids: number[] = [];

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-crash-'));
});
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.stop();
  for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

async function cli(home: string, args: string[]): Promise<string> {
  const result = await runCli(home, args, scratch);
  expect(result, `switchboard ${args.join(' ')}`).toMatchObject({ code: 0, stderr: '' });
  return result.stdout;
}

const list = async (home: string) => JSON.parse(await cli(home, ['ls', '--json'])) as SessionInfo[];

/** Whether the hub's database holds a saved screen with `text` for the session (read-only, as a peer). */
function savedScreenHas(home: string, session: string, text: string): boolean {
  const database = new Database(join(home, 'switchboard.db'), { readonly: true, fileMustExist: true });
  try {
    const row = database.prepare('SELECT screen FROM session_screens WHERE id = ?').get(session) as
      { screen: string } | undefined;
    return row?.screen.includes(text) === true;
  } catch {
    return false; // not created yet
  } finally {
    database.close();
  }
}

describe('issue 9: a hub killed outright', () => {
  it('lists its command sessions as ended with their last screen after a restart, until rm', async () => {
    const home = join(scratch, 'home');
    const first = await startHubProcess(home);
    hubs.push(first);
    const created = JSON.parse(
      await cli(home, [
        'new',
        '--json',
        '--name',
        'printer',
        '--',
        'sh',
        '-c',
        'echo crash-marker-$((6*7)); exec cat',
      ]),
    ) as SessionInfo;
    pids.push(created.pid!);
    await waitUntil(
      () => savedScreenHas(home, created.id, 'crash-marker-42'),
      15_000,
      'the screen to be saved',
    );
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await startHubProcess(home);
    hubs.push(second);
    const [listed, ...others] = await list(home);
    expect(others).toEqual([]);
    expect(listed).toMatchObject({
      id: created.id,
      name: 'printer',
      kind: 'command',
      status: 'ended',
      pid: null,
    });
    expect(await cli(home, ['screen', 'printer'])).toContain('crash-marker-42');
    // It is a record: it cannot be typed into, and it is never run again.
    const input = await runCli(home, ['send', 'printer', 'hello'], scratch);
    expect(input.stderr).toContain('has ended');

    await cli(home, ['rm', 'printer']);
    expect(await list(home)).toEqual([]);
    // Removed for good: a later start does not bring it back.
    await second.stop();
    const third = await startHubProcess(home);
    hubs.push(third);
    expect(await list(home)).toEqual([]);
  }, 60_000);

  it('after a clean stop, the sessions it ended are listed as ended too, with their final screen', async () => {
    const home = join(scratch, 'home');
    const first = await startHubProcess(home);
    hubs.push(first);
    const created = JSON.parse(
      await cli(home, [
        'new',
        '--json',
        '--name',
        'sleeper',
        '--',
        'sh',
        '-c',
        'echo clean-marker; exec sleep 600',
      ]),
    ) as SessionInfo;
    pids.push(created.pid!);
    for (let tries = 0; !(await cli(home, ['screen', 'sleeper'])).includes('clean-marker'); tries++) {
      if (tries === 40) throw new Error('the marker never showed on screen');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await first.stop();

    const second = await startHubProcess(home);
    hubs.push(second);
    expect(await list(home)).toMatchObject([{ id: created.id, status: 'ended' }]);
    expect(await cli(home, ['screen', created.id.slice(0, 8)])).toContain('clean-marker');
  }, 60_000);
});

describe('issue 9: an ended session of the last run', () => {
  it('attaches as a snapshot of its last screen followed by its exit, and takes no input', async () => {
    const stateDir = join(scratch, 'state');
    const first = await startTestHub({ stateDir });
    const owner = await first.client();
    const session = await owner.createSession({
      name: 'old',
      command: 'sh',
      args: ['-c', 'echo attach-marker; exit 3'],
    });
    await waitUntil(() => first.hub.registry.resolve(session.id).isEnded, 10_000, 'the session to exit');
    await first.close();

    const second = await startTestHub({ stateDir });
    try {
      const client = await second.client();
      const frames: HubMessage[] = [];
      client.onMessage((message) => frames.push(message));
      const snapshot = await client.attach(session.id, 'observe');
      expect(snapshot.data).toContain('attach-marker');
      await waitUntil(() => frames.some((frame) => frame.type === 'pty.exit'), 5000, 'the exit notice');
      expect(frames.find((frame) => frame.type === 'pty.exit')).toMatchObject({ exitCode: 3 });
      const typist = await second.client(); // the owner, not attached: `switchboard send`
      await expect(typist.input(session.id, 'x')).rejects.toMatchObject({ code: 'session_ended' });
    } finally {
      await second.close();
    }
  });
});
