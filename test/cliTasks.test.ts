// The delegation commands of the CLI, end to end against a hub started by the CLI with a fake Claude:
// delegate, tasks (and --watch), task, cancel, and `switchboard mcp` as a stdio MCP server.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../src-protocol/index.js';
import { fixture, waitUntil } from './helpers.js';

const run = promisify(execFile);
const BIN = resolve('bin/switchboard');
let home: string;
let hubProcess: ChildProcess;
let env: NodeJS.ProcessEnv;

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const report = (summary: string) => `CALL report_result ${JSON.stringify({ status: 'done', summary })}`;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'switchboard-cli-tasks-'));
  mkdirSync(join(home, 'repo'));
  const { SWITCHBOARD_URL: _url, SWITCHBOARD_TOKEN: _token, ...rest } = process.env;
  env = {
    ...rest,
    SWITCHBOARD_HOME: join(home, 'state'),
    SWITCHBOARD_CLAUDE_BIN: fixture('fake-claude.mjs'),
  };
  hubProcess = spawn(process.execPath, [BIN, 'hub', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  hubProcess.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await waitUntil(() => output.includes('listening on'), 15_000, 'the hub to start');
});

afterAll(async () => {
  hubProcess.kill('SIGTERM');
  await new Promise((resolve) => hubProcess.once('exit', resolve));
  rmSync(home, { recursive: true, force: true });
});

describe('switchboard delegate / tasks / task / cancel', () => {
  it('delegates to a new session and waits for the result (exit 0 when done)', async () => {
    const result = await cli(
      'delegate',
      '--cwd',
      join(home, 'repo'),
      '--title',
      'cli-wait',
      '--wait',
      '30',
      '--json',
      report('done from cli'),
    );
    expect(result.code).toBe(0);
    const task = JSON.parse(result.stdout) as TaskInfo;
    expect(task).toMatchObject({
      title: 'cli-wait',
      status: 'done',
      fromName: 'owner',
      result: { summary: 'done from cli' },
    });

    const listed = JSON.parse((await cli('tasks', '--json')).stdout) as TaskInfo[];
    expect(listed.map((entry) => entry.id)).toContain(task.id);
    const table = (await cli('tasks')).stdout;
    expect(table).toMatch(new RegExp(`${task.id.slice(0, 8)}\\s+done\\s+owner`));
    const detail = (await cli('task', task.id.slice(0, 8))).stdout;
    expect(detail).toContain('result (done):');
    expect(detail).toContain('done from cli');
  });

  it('delegates to an existing session without waiting, watches it change, and cancels it', async () => {
    await cli('new', '--name', 'worker', '--cwd', join(home, 'repo'));
    const watcher = spawn(process.execPath, [BIN, 'tasks', '--watch', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let watched = '';
    watcher.stdout.on('data', (chunk: Buffer) => (watched += chunk.toString()));
    try {
      const result = await cli('delegate', '--to', 'worker', '--title', 'long-job', '--json', 'SLEEP 60000');
      const task = JSON.parse(result.stdout) as TaskInfo;
      expect(task).toMatchObject({ toName: 'worker', title: 'long-job' });
      expect(['queued', 'delivered']).toContain(task.status);
      const cancelled = await cli('cancel', task.id.slice(0, 8));
      expect(cancelled.stdout).toContain('cancelled');
      await waitUntil(() => watched.includes('"status":"cancelled"'), 10_000, 'the watch to show the cancel');
      expect(watched).toContain('"title":"long-job"');
    } finally {
      watcher.kill('SIGINT');
    }
  });

  it('explains bad requests: unknown task, both --to and --cwd, a task to a non-Claude session', async () => {
    const unknown = await cli('task', 'ffffffff');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('No task "ffffffff"');
    const both = await cli('delegate', '--to', 'worker', '--cwd', home, 'x');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('either --to');
    await cli('new', '--name', 'plain', '--', 'bash', '--norc');
    const plain = await cli('delegate', '--to', 'plain', 'x');
    expect(plain.stderr).toContain('not a Claude session');
  });
});

/** A session list as name:status pairs, anything else as its JSON (for a timeout's message). */
const brief = (value: unknown) =>
  Array.isArray(value)
    ? value.map((one: { name: string; status: string }) => `${one.name}:${one.status}`).join(' ')
    : JSON.stringify(value).slice(0, 500);

/** Polls a CLI command's JSON output until `accept` takes it (bounded). */
async function until<T>(args: string[], accept: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = JSON.parse((await cli(...args)).stdout) as T;
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}; last: ${brief(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('switchboard reroute / retry (issue 17)', () => {
  it('moves a queued task, refuses one already delivered, re-sends it as a linked copy', async () => {
    await cli('new', '--name', 'busy', '--cwd', join(home, 'repo'));
    await cli('new', '--name', 'free', '--cwd', join(home, 'repo'));
    await until<Array<{ name: string; status: string }>>(
      ['ls', '--json'],
      (sessions) =>
        sessions.filter((one) => ['busy', 'free'].includes(one.name) && one.status === 'idle').length === 2,
      'both sessions idle',
    );
    await cli('send', 'busy', 'SLEEP 60000');
    await until<Array<{ name: string; status: string }>>(
      ['ls', '--json'],
      (sessions) => sessions.some((one) => one.name === 'busy' && one.status === 'working'),
      'busy working',
    );
    const queued = JSON.parse(
      (await cli('delegate', '--to', 'busy', '--title', 'to-move', '--json', report('moved and done')))
        .stdout,
    ) as TaskInfo;
    expect(queued.status).toBe('queued');

    const moved = await cli('reroute', queued.id.slice(0, 8), '--to', 'free', '--json');
    expect(moved.code, `reroute said: ${moved.stdout}${moved.stderr}`).toBe(0);
    expect(JSON.parse(moved.stdout)).toMatchObject({
      id: queued.id,
      toName: 'free',
      history: [{ text: 're-routed from busy to free by owner' }],
    });
    await until<TaskInfo>(['task', queued.id, '--json'], (task) => task.status === 'done', 'the task done');

    const refused = await cli('reroute', queued.id.slice(0, 8), '--to', 'busy', '--json');
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'task_delivered' } });
    const inWords = await cli('reroute', queued.id.slice(0, 8), '--to', 'busy');
    expect(inWords.stderr).toMatch(/already delivered to free .*switchboard retry \S+ --to busy/);

    const retried = await cli('retry', queued.id.slice(0, 8), '--json');
    expect(retried.code).toBe(0);
    const { task, original } = JSON.parse(retried.stdout) as { task: TaskInfo; original: TaskInfo };
    expect(task).toMatchObject({ retryOf: queued.id, toName: 'free', title: 'to-move' });
    expect(original).toMatchObject({ id: queued.id, retriedAs: task.id, status: 'done' });
    const detail = (await cli('task', task.id.slice(0, 8))).stdout;
    expect(detail).toContain(`retry of  ${queued.id}`);
    expect(detail).toMatch(/history:\n.*a copy of/);
    const words = await cli('retry', task.id.slice(0, 8), '--to', 'free', '--force');
    expect(words.stdout).toMatch(/re-sent as \S+ → free/);
  });

  it('refuses a running task without --force, and explains bad options', async () => {
    const running = JSON.parse(
      (await cli('delegate', '--to', 'free', '--title', 'runs', '--json', 'SLEEP 60000')).stdout,
    ) as TaskInfo;
    await until<TaskInfo>(['task', running.id, '--json'], (task) => task.status === 'running', 'running');
    const refused = await cli('retry', running.id.slice(0, 8), '--to', 'busy', '--json');
    expect(JSON.parse(refused.stdout)).toMatchObject({ error: { code: 'task_running' } });
    expect((await cli('retry', running.id.slice(0, 8))).stderr).toMatch(/--force/);
    const both = await cli('retry', running.id.slice(0, 8), '--to', 'busy', '--cwd', home);
    expect(both.stderr).toContain('either --to');
    expect((await cli('reroute', running.id.slice(0, 8))).stderr).toContain("'--to <session>' not specified");
    const help = (await cli('retry', '--help')).stdout;
    for (const option of ['--to <session>', '--cwd <dir>', '--force', '--json'])
      expect(help).toContain(option);
    const forced = await cli(
      'retry',
      running.id.slice(0, 8),
      '--cwd',
      join(home, 'repo'),
      '--force',
      '--json',
    );
    expect(JSON.parse(forced.stdout)).toMatchObject({ original: { status: 'cancelled' } });
  });
});

describe('switchboard mcp', () => {
  it("serves the hub's tools over stdio to an external participant", async () => {
    const client = new Client({ name: 'outside', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp'],
        env: env as Record<string, string>,
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'cancel_task',
        'delegate',
        'get_task',
        'list_sessions',
        'list_tasks',
        'report_result',
        'reroute_task',
        'retry_task',
        'send_message',
        'spawn_worker',
      ]);
      const sessions = await client.callTool({ name: 'list_sessions', arguments: {} });
      expect(JSON.stringify(sessions.structuredContent)).toContain('"name":"worker"');
      const delegated = await client.callTool({
        name: 'delegate',
        arguments: { instructions: report('via stdio proxy'), cwd: join(home, 'repo'), wait_s: 30 },
      });
      expect(delegated.structuredContent).toMatchObject({
        status: 'done',
        result: { summary: 'via stdio proxy' },
      });
    } finally {
      await client.close();
    }
  });

  it('says how to start a hub when none is running', async () => {
    const result = (await run(process.execPath, [BIN, 'mcp'], {
      env: { ...env, SWITCHBOARD_HOME: join(home, 'nowhere') },
    }).catch((error: { stderr: string; code: number }) => error)) as { stderr: string; code?: number };
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('switchboard hub');
  });
});

describe('switchboard new --worktree, delegate --worktree and merge', () => {
  it('runs work on a branch, shows it in ls, and merges it back', async () => {
    const repo = join(home, 'gitrepo');
    mkdirSync(repo);
    const git = (...args: string[]) =>
      execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'dev@example.test');
    git('config', 'user.name', 'Dev');
    writeFileSync(join(repo, 'README'), 'hello\n');
    git('add', '.');
    git('commit', '-q', '-m', 'initial');

    const created = await cli(
      'new',
      '--name',
      'branchy',
      '--cwd',
      repo,
      '--worktree',
      'feature/cli',
      '--json',
    );
    expect(JSON.parse(created.stdout)).toMatchObject({
      name: 'branchy',
      worktree: { branch: 'feature/cli' },
    });
    const listing = (await cli('ls')).stdout;
    expect(listing).toMatch(/BRANCH/);
    expect(listing).toMatch(/branchy\s+\S+\s+\d+\s+feature\/cli/);

    const work = `WRITE notes.txt written on a branch\n${report('wrote notes')}`;
    const delegated = await cli(
      'delegate',
      '--cwd',
      repo,
      '--worktree',
      '--title',
      'notes',
      '--wait',
      '30',
      work,
    );
    expect(delegated.code).toBe(0);
    expect(delegated.stdout).toMatch(/changes on switchboard\/\S+: 1 file\(s\), \+1 -0/);
    const id = /task\s+(\S+)/.exec(delegated.stdout)![1]!;
    const merged = await cli('merge', id.slice(0, 8));
    expect(merged.code).toBe(0);
    expect(merged.stdout).toContain('Merged switchboard/');
    expect(git('show', 'HEAD:notes.txt')).toBe('written on a branch');
  });
});
