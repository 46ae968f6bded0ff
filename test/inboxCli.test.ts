// The inbox commands of the CLI, end to end against a hub started by the CLI with a fake Claude:
// `inbox` (text, --json, --watch), `allow`, `deny`, `answer`, their errors and --help (issue 11).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, InboxItem } from '../src-protocol/index.js';
import { connectHub, findHub } from '../src-cli/connect.js';
import { fixture, waitUntil } from './helpers.js';

const run = promisify(execFile);
const BIN = resolve('bin/switchboard');
let home: string;
let hubProcess: ChildProcess;
let env: NodeJS.ProcessEnv;
let owner: HubClient;

async function cli(...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'switchboard-cli-inbox-'));
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
  owner = await connectHub(findHub(env), { autoAck: true });
});

afterAll(async () => {
  owner?.close();
  hubProcess.kill('SIGTERM');
  await new Promise((resolve) => hubProcess.once('exit', resolve));
  rmSync(home, { recursive: true, force: true });
});

/** A fake Claude session asking to run `command`; resolves with its item once the inbox lists it. */
async function asking(command: string): Promise<{ item: InboxItem; screen: () => Promise<string> }> {
  const session = await owner.createSession({
    cwd: join(home, 'repo'),
    prompt: `ASK Bash ${JSON.stringify({ command })}`,
  });
  let item: InboxItem | undefined;
  const deadline = Date.now() + 30_000;
  while (!(item = (await owner.inbox()).find((candidate) => candidate.session === session.id))) {
    if (Date.now() > deadline) throw new Error('the item never arrived');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { item, screen: async () => (await owner.screen(session.id)).lines.join('\n') };
}

describe('switchboard inbox / allow / deny / answer', () => {
  it('says when nothing waits, and lists an item as a table and as JSON', async () => {
    expect((await cli('inbox')).stdout).toBe('Nothing waits on you.\n');
    expect(JSON.parse((await cli('inbox', '--json')).stdout)).toEqual([]);
    const { item } = await asking('npm run lint');
    const text = (await cli('inbox')).stdout;
    expect(text).toMatch(/^ID\s+KIND\s+SESSION\s+WAITING\s+WHAT/);
    expect(text).toContain(item.id);
    expect(text).toContain('Bash: npm run lint');
    expect(text).toContain('switchboard allow ID [--always] | deny ID [--message TEXT]');
    const json = JSON.parse((await cli('inbox', '--json')).stdout) as InboxItem[];
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({ id: item.id, kind: 'permission', session: item.session, tool: 'Bash' });
    expect(json[0]!.input).toEqual({ command: 'npm run lint' });
    expect(typeof json[0]!.since).toBe('string');
    await cli('allow', item.id);
  });

  it('allow (by a prefix) and deny --message answer the held request', async () => {
    const first = await asking('make');
    const allowed = await cli('allow', first.item.id.slice(0, 5), '--always');
    expect(allowed).toMatchObject({ code: 0 });
    expect(allowed.stdout).toMatch(/^Allowed Bash for this session/);
    const second = await asking('rm -rf /');
    const denied = await cli('deny', second.item.id, '--message', 'Never that.', '--json');
    expect(JSON.parse(denied.stdout)).toMatchObject({ item: second.item.id });
    for (const [{ screen }, expected] of [
      [first, 'PERMISSION allow always'],
      [second, 'PERMISSION deny Never that.'],
    ] as const) {
      const deadline = Date.now() + 10_000;
      while (!(await screen()).includes(expected)) {
        if (Date.now() > deadline) throw new Error(`never saw ${expected}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  });

  it('an unknown or answered item exits 1 with a message that says so, and --json gives the code', async () => {
    const unknown = await cli('allow', 'in-nothing');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No open inbox item "in-nothing"; `switchboard inbox` lists them.');
    const { item } = await asking('ls');
    await cli('deny', item.id);
    const again = await cli('allow', item.id, '--json');
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'item_closed' } });
    const wrongKind = await cli('answer', item.id, 'yes');
    expect(wrongKind.code).toBe(1);
  });

  it('`answer` on a permission request points to allow and deny', async () => {
    const { item } = await asking('pwd');
    const result = await cli('answer', item.id, 'yes');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('switchboard allow');
    await cli('allow', item.id);
  });

  it('inbox --watch --json prints items as they arrive and leave', async () => {
    const watcher = spawn(process.execPath, [BIN, 'inbox', '--watch', '--json'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    watcher.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500)); // connected and listening
      const { item } = await asking('whoami');
      await waitUntil(() => output.includes(item.id), 15_000, 'the watcher to print the new item');
      await cli('allow', item.id);
      await waitUntil(
        () => output.includes('"reason":"answered"'),
        15_000,
        'the watcher to print its removal',
      );
      const lines = output
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; kind?: string });
      expect(lines.filter((line) => line.type === 'inbox.changed').map((line) => line.kind)).toEqual([
        'added',
        'removed',
      ]);
    } finally {
      watcher.kill('SIGINT');
      await new Promise((resolve) => watcher.once('exit', resolve));
    }
  });

  it('every inbox command has --help', async () => {
    for (const command of ['inbox', 'allow', 'deny', 'answer', 'dismiss']) {
      const help = await cli(command, '--help');
      expect(help.code, command).toBe(0);
      expect(help.stdout).toContain(`Usage: switchboard ${command}`);
    }
    expect((await cli('--help')).stdout).toMatch(/inbox \[options\]/);
  });
});
