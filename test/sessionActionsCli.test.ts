// Issue 13 item 5 from the command line: `switchboard rename | restart | duplicate` (text and --json), their
// refusals (bad name before any hub call, a running session, an unknown one) with exit 1, and --help.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BranchUsage, SessionInfo, TaskInfo } from '../src-protocol/index.js';
import { fixture } from './helpers.js';
import { runCli, startHubProcess, type HubProcess } from './hubProcess.js';

let home: string;
let work: string;
let hub: HubProcess;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'switchboard-actions-cli-'));
  work = join(home, 'work');
  mkdirSync(work);
  hub = await startHubProcess(home, [], { SWITCHBOARD_CLAUDE_BIN: fixture('fake-claude.mjs') });
});

afterAll(async () => {
  await hub.stop();
  rmSync(home, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(home, args);
/** Runs a command with --json (placed before any `--`) and parses what it printed. */
const json = async (command: string, ...args: string[]) => {
  const run = await cli(command, '--json', ...args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as SessionInfo;
};
const list = async () => JSON.parse((await cli('ls', '--json')).stdout) as SessionInfo[];

describe('switchboard rename | restart | duplicate', () => {
  it('renames, duplicates and restarts a command session', async () => {
    const made = await json('new', '--name', 'pager', '--cwd', work, '--', 'cat');
    const renamed = await cli('rename', 'pager', 'viewer');
    expect(renamed).toMatchObject({
      code: 0,
      stdout: `Renamed to viewer (${made.id.slice(0, 8)}): running.\n`,
    });
    expect((await list()).map((session) => session.name)).toEqual(['viewer']);

    const copy = await json('duplicate', 'viewer');
    expect(copy).toMatchObject({ name: 'viewer-2', cwd: work, command: made.command, status: 'running' });
    const named = await cli('duplicate', 'viewer', '--name', 'viewer-b');
    expect(named.stdout).toMatch(/^Started viewer-b \([0-9a-f]{8}\): running\.\n$/);

    const running = await cli('restart', 'viewer');
    expect(running.code).toBe(1);
    expect(running.stderr).toMatch(/still running; kill it first/);
    expect(await cli('kill', 'viewer')).toMatchObject({ code: 0 });
    const deadline = Date.now() + 10_000;
    while ((await list()).find((session) => session.id === made.id)?.status !== 'ended')
      if (Date.now() > deadline) throw new Error('viewer did not end within 10 s');
    const restarted = await json('restart', 'viewer');
    expect(restarted).toMatchObject({ id: made.id, name: 'viewer', cwd: work, status: 'running' });
    expect(restarted.pid).not.toBe(made.pid);
  });

  it('refuses a bad name before asking the hub, and unknown sessions with exit 1', async () => {
    const before = await list();
    const bad = await cli('rename', 'viewer', 'two words');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/cannot name a session: use letters, digits/);
    const unknown = await cli('restart', 'no-such-session', '--json');
    expect(unknown.code).toBe(1);
    expect(`${unknown.stdout}${unknown.stderr}`).toContain('unknown_session');
    expect(await cli('duplicate', 'no-such-session')).toMatchObject({ code: 1 });
    expect(await list()).toEqual(before);
  });

  it('tasks --json and task ID --json give each task its branchUsage (issue 13 #6)', async () => {
    const delegated = await cli('delegate', '--cwd', work, '--title', 'branch', '--json', 'hello');
    expect(delegated.code, delegated.stderr).toBe(0);
    const task = JSON.parse(delegated.stdout) as TaskInfo;
    const listed = JSON.parse((await cli('tasks', '--json')).stdout) as Array<
      TaskInfo & { branchUsage: BranchUsage }
    >;
    expect(listed.find((entry) => entry.id === task.id)?.branchUsage).toEqual({
      tasks: 1,
      sessions: [task.toSession],
      tokens: 0, // the stand-in Claude reports no token use; the summing is unit-tested
      costUsd: null,
      approximate: false,
    });
    const one = JSON.parse((await cli('task', task.id.slice(0, 8), '--json')).stdout) as TaskInfo & {
      branchUsage: BranchUsage;
    };
    expect(one).toMatchObject({ id: task.id, branchUsage: { tasks: 1, sessions: [task.toSession] } });
  });

  it('explains each command in --help', async () => {
    expect((await cli('restart', '--help')).stdout).toMatch(
      /same id, name, directory and command[\s\S]*kill SESSION/,
    );
    expect((await cli('duplicate', '--help')).stdout).toMatch(/--name <name>[\s\S]*--json/);
    expect((await cli('rename', '--help')).stdout).toContain('switchboard rename claude-1 api-tests');
    expect((await cli('--help')).stdout).toMatch(/rename[\s\S]*restart[\s\S]*duplicate/);
  });
});
