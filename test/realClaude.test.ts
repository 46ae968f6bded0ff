// Ring 3: the pinned Claude Code CLI (2.1.331) under the hub, talking to a scripted model on 127.0.0.1
// with a seeded, isolated CLAUDE_CONFIG_DIR. A Claude session delegates to a Claude session in another
// repository; the child reports; the parent's tool call returns the summary; real hooks drive status.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, SessionInfo, SessionStatus, TaskInfo } from '../src-protocol/index.js';
import { startTestHub, waitUntil, type TestHub } from './helpers.js';
import { startModelServer } from './modelServer.js';
import { CLAUDE, requireClaude, scriptedClaudeEnv, seedClaudeConfig } from './realClaudeSetup.js';

const run = promisify(execFile);

let workspace: string;
let configDir: string;
let model: Awaited<ReturnType<typeof startModelServer>>;
let hub: TestHub;
let owner: HubClient;
const trails = new Map<string, SessionStatus[]>();

const claudeEnv = () => scriptedClaudeEnv(model.url, configDir);

beforeAll(async () => {
  requireClaude();
  workspace = mkdtempSync(join(tmpdir(), 'switchboard-ring3-'));
  configDir = join(workspace, 'claude-config');
  for (const directory of ['repo1', 'repo2', 'claude-config', 'outsider', 'stranger'])
    mkdirSync(join(workspace, directory));
  seedClaudeConfig(configDir, [
    join(workspace, 'repo1'),
    join(workspace, 'repo2'),
    join(workspace, 'outsider'),
  ]);
  model = await startModelServer([
    (prompt) => {
      const target = /DELEGATE_TO (\S+)/.exec(prompt)?.[1];
      return target
        ? {
            tool: 'mcp__switchboard__delegate',
            input: {
              instructions: 'CHILD_JOB: look around and report.',
              title: 'ring3',
              cwd: target,
              wait_s: 120,
            },
          }
        : undefined;
    },
    (prompt) =>
      prompt.includes('CHILD_JOB')
        ? {
            tool: 'mcp__switchboard__report_result',
            input: { status: 'done', summary: 'child report from repo2' },
          }
        : undefined,
  ]);
  hub = await startTestHub({ claude: { binary: CLAUDE, env: claudeEnv(), permissionMode: 'manual' } });
  owner = await hub.client();
  owner.onMessage((message) => {
    if (message.type !== 'session.event') return;
    const trail = trails.get(message.session.id) ?? [];
    if (trail.at(-1) !== message.session.status) trail.push(message.session.status);
    trails.set(message.session.id, trail);
  });
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await model?.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('real Claude Code under the hub', () => {
  it('delegates from a Claude session to one in a second repository and gets the report back', async () => {
    const repo2 = join(workspace, 'repo2');
    const parent = await owner.createSession({
      name: 'lead',
      cwd: join(workspace, 'repo1'),
      prompt: `DELEGATE_TO ${repo2}`,
    });

    let task: TaskInfo | undefined;
    await waitUntil(
      () =>
        (task = hub.hub.router
          .list({ session: null, name: 'owner' })
          .find((candidate) => candidate.title === 'ring3'))?.status === 'done',
      90_000,
      'the delegated task to be reported',
    );
    expect(task!.result).toEqual({ status: 'done', summary: 'child report from repo2' });
    expect(task!.fromSession).toBe(parent.id);
    const child = hub.hub.registry.resolve(task!.toSession);
    expect(child.spec.cwd).toBe(repo2);
    // Issue 9: the first prompt and the task were typed in; neither is on a command line `ps` shows.
    const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    const parentLine = commandLine(hub.hub.registry.resolve(parent.id).info().pid!);
    expect(parentLine).toContain(`--session-id ${parent.id}`);
    expect(parentLine).not.toContain('DELEGATE_TO');
    expect(commandLine(child.info().pid!)).not.toContain('CHILD_JOB');

    // The parent's delegate call returned the child's summary to its model.
    await waitUntil(
      () =>
        model.requests.some(
          (request) =>
            request.session === parent.id && request.toolResult?.includes('child report from repo2') === true,
        ),
      30_000,
      "the parent's tool result",
    );
    // Status came from real hooks: both sessions worked, then went idle.
    await waitUntil(
      () => trails.get(parent.id)?.at(-1) === 'idle' && trails.get(child.id)?.at(-1) === 'idle',
      30_000,
      'both idle',
    );
    for (const id of [parent.id, child.id])
      expect(trails.get(id)).toEqual(expect.arrayContaining(['starting', 'working', 'idle']));
    // SessionStart arrives through the command hook (Claude Code skips HTTP hooks there), UserPromptSubmit
    // and Stop through HTTP hooks.
    const hooksOf = (id: string) =>
      hub.logger.events
        .filter((event) => event.event === 'session.hook' && event.session === id)
        .map((event) => event.hook);
    for (const id of [parent.id, child.id])
      expect(hooksOf(id)).toEqual(expect.arrayContaining(['SessionStart', 'UserPromptSubmit', 'Stop']));
  }, 150_000);

  it("reads each session's token use from Claude Code's own transcript (issue 13)", async () => {
    // The scripted model bills every reply as 10 input and 20 output tokens, no cache.
    // The delegate call and the answer after it: two replies, the second read at or just after its Stop.
    let lead: SessionInfo | undefined;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
      lead = (await owner.listSessions()).find((session) => session.name === 'lead');
      if ((lead?.usage?.inputTokens ?? 0) >= 20) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lead?.usage, "the lead's token use from its transcript").toBeTruthy();
    const usage = lead!.usage;
    const replies = usage!.inputTokens / 10;
    expect(Number.isInteger(replies) && replies >= 2).toBe(true); // the delegate call, then the answer
    expect(usage).toMatchObject({
      model: 'claude-scripted',
      outputTokens: 20 * replies,
      cacheReadTokens: 0,
      cacheCreationTokens: 0,
      contextTokens: 10,
      contextWindow: 200_000,
      costUsd: null, // no price is known for the scripted model: no guess
    });
    // Every counted reply was a real request of this session's to the model (side queries are not counted).
    expect(model.requests.filter((request) => request.session === lead!.id).length).toBeGreaterThanOrEqual(
      replies,
    );
  }, 30_000);

  it('a session stopped at the folder-trust question (no hook runs there) shows waiting, and idle once answered', async () => {
    const stranger = await owner.createSession({ name: 'stranger', cwd: join(workspace, 'stranger') });
    await waitUntil(
      () => hub.hub.registry.resolve(stranger.id).status === 'waiting',
      30_000,
      'the trust question to be seen on screen',
    );
    const statusEvents = hub.logger.events.filter(
      (event) => event.event === 'session.status' && event.session === stranger.id,
    );
    expect(statusEvents.map((event) => [event.status, event.source])).toEqual([
      ['waiting', 'screen: folder trust'],
    ]);
    // Answer it the way a co-driver would: move to "Yes, I trust this folder" and confirm.
    await owner.attach(stranger.id, 'drive');
    await owner.input(stranger.id, '\x1b[B');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await owner.input(stranger.id, '\r');
    // As the owner's client saw it (events arrive after the hub's own state changes).
    await waitUntil(
      () => trails.get(stranger.id)?.at(-1) === 'idle',
      30_000,
      'the session to reach its prompt',
    );
    expect(trails.get(stranger.id)).toEqual(expect.arrayContaining(['starting', 'waiting', 'idle']));
    await owner.detach(stranger.id);
  }, 90_000);

  it('`switchboard send` submits a 200-character line to Claude Code (issue 16: it sat unsent in the prompt)', async () => {
    const session = await owner.createSession({ name: 'sendee', cwd: join(workspace, 'repo1') });
    await waitUntil(() => trails.get(session.id)?.at(-1) === 'idle', 60_000, 'the prompt');
    const line = `SEND_CHECK ${'abcdefghij'.repeat(19)}`;
    expect(line.length).toBeGreaterThanOrEqual(200);
    await run(process.execPath, [resolve('bin/switchboard'), 'send', session.id, line], {
      env: { ...process.env, SWITCHBOARD_URL: hub.url, SWITCHBOARD_TOKEN: hub.hub.ownerToken },
    });
    await waitUntil(
      () => model.requests.some((request) => request.session === session.id && request.prompt.includes(line)),
      60_000,
      'the line to reach the model as a submitted prompt',
    );
    await owner.kill(session.id);
  }, 90_000);

  it('after a hub restart the session comes back with `--resume` and its conversation', async () => {
    const stateDir = mkdtempSync(join(workspace, 'restart-state-'));
    const ports = {
      stateDir,
      claude: { binary: CLAUDE, env: claudeEnv(), permissionMode: 'manual' as const },
    };
    const first = await startTestHub(ports);
    let firstClosed = false;
    try {
      const client = await first.client();
      const session = await client.createSession({
        name: 'rememberer',
        cwd: join(workspace, 'repo1'),
        prompt: 'REMEMBER the word pelican',
      });
      await waitUntil(
        () => model.requests.some((request) => request.session === session.id),
        60_000,
        'the first turn to reach the model',
      );
      await waitUntil(
        () =>
          first.logger.events.some(
            (event) =>
              event.event === 'session.hook' && event.session === session.id && event.hook === 'Stop',
          ),
        60_000,
        'the first turn to end (Stop)',
      );
      await first.close();
      firstClosed = true;

      const second = await startTestHub(ports);
      try {
        const resumed = second.hub.registry.resolve('rememberer');
        expect(resumed.id).toBe(session.id);
        expect(resumed.spec.args).toEqual(expect.arrayContaining(['--resume', session.id]));
        await waitUntil(() => resumed.status === 'idle', 60_000, 'the resumed session to reach its prompt');
        const again = await second.client();
        await again.attach(session.id, 'drive');
        await again.input(session.id, 'WHAT was the word');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await again.input(session.id, '\r');
        await waitUntil(
          () => model.requests.some((request) => request.prompt.includes('WHAT was the word')),
          60_000,
          'the next turn to reach the model',
        );
        const next = model.requests.find((request) => request.prompt.includes('WHAT was the word'))!;
        expect(next.session).toBe(session.id);
        expect(next.history).toContain('REMEMBER the word pelican');
      } finally {
        await second.close();
      }
    } finally {
      if (!firstClosed) await first.close();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);

  it('`claude mcp list` reports the hub MCP endpoint connected with a session token, and not with a wrong one', async () => {
    const session = (await owner.listSessions()).find(
      (candidate) => candidate.kind === 'claude' && candidate.status !== 'ended',
    )!;
    const token = hub.hub.registry.resolve(session.id).spec.env.SWITCHBOARD_SESSION_TOKEN!;
    const outsiderConfig = mkdtempSync(join(workspace, 'mcp-config-'));
    seedClaudeConfig(outsiderConfig, [join(workspace, 'outsider')]);
    const options = {
      cwd: join(workspace, 'outsider'),
      env: { ...process.env, ...claudeEnv(), CLAUDE_CONFIG_DIR: outsiderConfig },
      timeout: 60_000,
    };
    await run(
      CLAUDE,
      [
        'mcp',
        'add',
        '--transport',
        'http',
        'switchboard',
        `${hub.url}/mcp`,
        '--header',
        `Authorization: Bearer ${token}`,
      ],
      options,
    );
    await run(
      CLAUDE,
      [
        'mcp',
        'add',
        '--transport',
        'http',
        'forged',
        `${hub.url}/mcp`,
        '--header',
        'Authorization: Bearer sbs_forged',
      ],
      options,
    );
    const { stdout } = await run(CLAUDE, ['mcp', 'list'], options);
    expect(stdout).toMatch(/switchboard: .*✔ Connected/);
    expect(stdout).toMatch(/forged: .*✘ Failed/);
  }, 90_000);
});
