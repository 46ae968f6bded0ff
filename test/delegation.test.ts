// Ring 2: delegation between sessions run by a fake agent that behaves like Claude Code at its prompt
// (same flags, same hooks, real MCP SDK client calls to the hub).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubClient, SessionStatus, TaskInfo } from '../src-protocol/index.js';
import { createHub, memoryLogger } from '../src-hub/index.js';
import { fixture, mcpClient, startTestHub, waitForScreen, waitUntil, type TestHub } from './helpers.js';

const fakeClaude = { binary: fixture('fake-claude.mjs'), unreportedGraceSeconds: 1 };
let hub: TestHub;
let owner: HubClient;
let workspace: string;

beforeEach(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'switchboard-repos-'));
  for (const repo of ['repo1', 'repo2']) mkdirSync(join(workspace, repo));
  hub = await startTestHub({ claude: fakeClaude });
  owner = await hub.client();
});
afterEach(async () => {
  await hub.close();
  rmSync(workspace, { recursive: true, force: true });
});

const textOf = (result: Record<string, unknown>) =>
  ((result.content ?? []) as Array<{ text: string }>).map((part) => part.text).join('');
const call = (tool: string, args: unknown) => `CALL ${tool} ${JSON.stringify(args)}`;
const tokenOf = (hubUnderTest: TestHub, session: string) =>
  hubUnderTest.hub.registry.resolve(session).spec.env.SWITCHBOARD_SESSION_TOKEN!;

/** A process's command line as `ps` shows it, once the pty's child has exec'd the agent. */
async function commandLineOf(pid: number): Promise<string> {
  let line = '';
  await waitUntil(
    () => (line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')).includes('fake-claude'),
    5000,
    'the agent to start',
  );
  return line;
}

/** Records every status a session goes through, from the hub's events. */
function statusTrail(client: HubClient) {
  const trails = new Map<string, SessionStatus[]>();
  client.onMessage((message) => {
    if (message.type !== 'session.event') return;
    const trail = trails.get(message.session.id) ?? [];
    if (trail.at(-1) !== message.session.status) trail.push(message.session.status);
    trails.set(message.session.id, trail);
  });
  return (id: string) => trails.get(id) ?? [];
}

async function newClaude(name: string, cwd: string) {
  const session = await owner.createSession({ name, cwd });
  await waitUntil(() => hub.hub.registry.resolve(session.id).status === 'idle', 10_000, `${name} ready`);
  return session;
}

const taskWhere = async (predicate: (task: TaskInfo) => boolean, what: string) => {
  let found: TaskInfo | undefined;
  await waitUntil(
    () => (found = hub.hub.router.list({ session: null, name: 'owner' }).find(predicate)) !== undefined,
    15_000,
    what,
  );
  return found!;
};

describe('delegation between sessions', () => {
  it('delegates to a new session in another directory; the child reports; the waiting call returns the summary', async () => {
    const trail = statusTrail(owner);
    const parent = await newClaude('parent', join(workspace, 'repo1'));
    const childWork = call('report_result', { status: 'done', summary: 'child did it in repo2' });
    await owner.input(
      parent.id,
      call('delegate', {
        instructions: childWork,
        title: 'cross-repo',
        cwd: join(workspace, 'repo2'),
        wait_s: 30,
      }) + '\r',
    );

    await waitForScreen(owner, parent.id, 'RESULT delegate', 20_000);
    // Rows wrap at the terminal width: join them to read the reply as one line.
    expect((await owner.screen(parent.id)).lines.join('')).toMatch(
      /RESULT delegate .*"status": "done".*child did it in repo2/,
    );
    const task = await taskWhere((candidate) => candidate.title === 'cross-repo', 'the task');
    expect(task).toMatchObject({
      status: 'done',
      fromSession: parent.id,
      result: { status: 'done', summary: 'child did it in repo2' },
    });
    const child = hub.hub.registry.resolve(task.toSession);
    expect(child.spec.cwd).toBe(join(workspace, 'repo2'));
    expect(child.kind).toBe('claude');
    await waitUntil(() => trail(parent.id).at(-1) === 'idle', 5000, 'parent idle again');
    expect(trail(parent.id)).toEqual(expect.arrayContaining(['starting', 'idle', 'working']));
    expect(trail(child.id)).toEqual(expect.arrayContaining(['working', 'idle']));
    // The waiting call got the result, so no notice is typed into the parent.
    expect((await owner.screen(parent.id)).lines.join('\n')).not.toContain('[switchboard] task');
  });

  it('types a one-line notice into a delegator that did not wait, once it is idle', async () => {
    const parent = await newClaude('parent', join(workspace, 'repo1'));
    const childWork = call('report_result', { status: 'blocked', summary: 'need credentials' });
    await owner.input(
      parent.id,
      call('delegate', { instructions: childWork, title: 'no-wait', cwd: join(workspace, 'repo2') }) + '\r',
    );
    await waitForScreen(owner, parent.id, '[switchboard] task', 20_000);
    expect((await owner.screen(parent.id)).lines.join('\n')).toMatch(
      /\[switchboard\] task \S+ "no-wait" blocked: need credentials/,
    );
  });

  it('delegates to an existing session, types the instructions only when it is idle, and delivers messages', async () => {
    const worker = await newClaude('worker', join(workspace, 'repo2'));
    await owner.input(worker.id, 'SLEEP 1500\r'); // busy for a while
    await waitUntil(() => hub.hub.registry.resolve(worker.id).status === 'working', 5000, 'worker busy');
    const reply = await owner.request({
      type: 'task.delegate',
      instructions: call('report_result', { status: 'done', summary: 'ok from worker' }),
      to: 'worker',
      waitSeconds: 20,
    });
    expect(reply).toMatchObject({
      type: 'task.result',
      task: { status: 'done', result: { summary: 'ok from worker' }, toName: 'worker' },
    });

    const caller = await mcpClient(hub.url, hub.hub.ownerToken);
    const sent = await caller.callTool({
      name: 'send_message',
      arguments: { to: 'worker', text: 'hello worker' },
    });
    expect(sent.isError).toBeFalsy();
    await waitForScreen(owner, worker.id, 'echo: [switchboard message from owner] hello worker');
    await caller.close();
  });

  it('issue 9: send_message never types into a shell; the caller gets not_allowed', async () => {
    const shell = await owner.createSession({
      name: 'shell',
      cwd: workspace,
      command: 'bash',
      args: ['--norc', '--noprofile'],
      env: { PS1: 'shell$ ' },
    });
    await waitForScreen(owner, shell.id, 'shell$');
    const sender = await newClaude('sender', join(workspace, 'repo1'));
    const planted = join(workspace, 'planted');
    await owner.input(sender.id, call('send_message', { to: 'shell', text: `; touch ${planted}` }) + '\r');
    await waitForScreen(owner, sender.id, 'TOOL-ERROR send_message');
    expect((await owner.screen(sender.id)).lines.join('')).toMatch(
      /TOOL-ERROR send_message not_allowed: .*messages go only to Claude sessions/,
    );
    // The owner's MCP (switchboard mcp) is refused the same way.
    const asOwner = await mcpClient(hub.url, hub.hub.ownerToken);
    const refused = await asOwner.callTool({ name: 'send_message', arguments: { to: 'shell', text: 'x' } });
    expect(textOf(refused)).toMatch(/^not_allowed: /);
    await asOwner.close();
    // Give a message that slipped through time to arrive: the shell saw nothing and ran nothing.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await owner.screen(shell.id)).lines.join('\n')).not.toContain('switchboard');
    expect(existsSync(planted)).toBe(false);
    expect(hub.hub.registry.resolve(shell.id).isEnded).toBe(false);
  });

  it("issue 9: a first prompt and a new session's task never show on its command line (ps), and still arrive", async () => {
    const prompted = await owner.createSession({
      name: 'prompted',
      cwd: join(workspace, 'repo1'),
      prompt: 'first-input-4711',
    });
    const cmdline = await commandLineOf(prompted.pid!);
    expect(cmdline).toContain('--session-id');
    expect(cmdline).not.toContain('first-input-4711');
    await waitForScreen(owner, prompted.id, 'echo: first-input-4711');

    const reply = await owner.request({
      type: 'task.delegate',
      instructions: `secret-task-0815\n${call('report_result', { status: 'done', summary: 'got it' })}`,
      title: 'private',
      cwd: join(workspace, 'repo2'),
    });
    const task = (reply as { task: TaskInfo }).task;
    const child = hub.hub.registry.resolve(task.toSession);
    const childLine = await commandLineOf(child.info().pid!);
    expect(childLine).not.toContain('secret-task-0815');
    expect(childLine).not.toContain(task.id);
    const done = await taskWhere(
      (candidate) => candidate.id === task.id && candidate.status === 'done',
      'done',
    );
    expect(done.result).toMatchObject({ summary: 'got it' });
  });

  it('closes a delivered task that is never reported as unreported, with the last assistant message', async () => {
    const reply = await owner.request({
      type: 'task.delegate',
      instructions: 'think about it, but never report',
      cwd: join(workspace, 'repo2'),
      waitSeconds: 20,
    });
    expect(reply).toMatchObject({ task: { status: 'unreported', result: { status: 'unreported' } } });
    expect((reply as { task: TaskInfo }).task.result!.summary).toContain('echo: [switchboard task');
  });

  it('cancels a task and its whole subtree', async () => {
    const grandchildWork = 'SLEEP 60000';
    const childWork = call('delegate', {
      instructions: grandchildWork,
      title: 'grandchild',
      cwd: join(workspace, 'repo1'),
    });
    const reply = await owner.request({
      type: 'task.delegate',
      instructions: childWork + '\nSLEEP 60000',
      title: 'child',
      cwd: join(workspace, 'repo2'),
    });
    const childTask = (reply as { task: TaskInfo }).task;
    const grandchild = await taskWhere((task) => task.title === 'grandchild', 'the grandchild task');
    expect(grandchild.parentId).toBe(childTask.id);

    const cancelled = await owner.request({ type: 'task.cancel', task: childTask.id });
    expect(cancelled).toMatchObject({ task: { status: 'cancelled' } });
    expect(
      hub.hub.router.list({ session: null, name: 'owner' }).find((task) => task.id === grandchild.id)?.status,
    ).toBe('cancelled');
  });

  it("refuses a session token that reports or cancels another session's task", async () => {
    const a = await newClaude('a', join(workspace, 'repo1'));
    const b = await newClaude('b', join(workspace, 'repo2'));
    const reply = await owner.request({ type: 'task.delegate', instructions: 'SLEEP 60000', to: 'b' });
    const task = (reply as { task: TaskInfo }).task;
    const asA = await mcpClient(hub.url, tokenOf(hub, a.id));
    const report = await asA.callTool({
      name: 'report_result',
      arguments: { status: 'done', summary: 'forged', task_id: task.id },
    });
    expect(report.isError).toBe(true);
    expect(JSON.stringify(report.content)).toContain('not_allowed');
    const cancel = await asA.callTool({ name: 'cancel_task', arguments: { task_id: task.id } });
    expect(cancel.isError).toBe(true);
    await asA.close();
    expect(
      hub.hub.router.list({ session: null, name: 'owner' }).find((candidate) => candidate.id === task.id)
        ?.status,
    ).not.toMatch(/done|cancelled/);
    void b;
  });

  it('answers bad arguments and bad tokens with errors that say what to fix', async () => {
    const a = await newClaude('a', join(workspace, 'repo1'));
    const asA = await mcpClient(hub.url, tokenOf(hub, a.id));
    const both = await asA.callTool({
      name: 'delegate',
      arguments: { instructions: 'x', to: 'a', cwd: workspace },
    });
    expect(both.isError).toBe(true);
    expect(textOf(both)).toMatch(/either "to".*or "cwd"/);
    const missing = await asA
      .callTool({ name: 'delegate', arguments: {} })
      .catch((error: Error) => ({ isError: true, content: error.message }));
    expect(missing.isError).toBe(true);
    expect(JSON.stringify(missing.content)).toContain('instructions');
    const self = await asA.callTool({ name: 'delegate', arguments: { instructions: 'x', to: 'a' } });
    expect(JSON.stringify(self.content)).toContain('cannot delegate to itself');
    const unknown = await asA.callTool({ name: 'get_task', arguments: { task_id: 'no-such-task' } });
    expect(JSON.stringify(unknown.content)).toContain('unknown_task');
    const nothing = await asA.callTool({
      name: 'report_result',
      arguments: { status: 'done', summary: 'x' },
    });
    expect(JSON.stringify(nothing.content)).toContain('no open task');
    await asA.close();
    await expect(mcpClient(hub.url, 'sbs_forged')).rejects.toThrow();
  });
});

describe('launching Claude Code', () => {
  it('refuses an unsupported Claude Code version with a message naming what is supported', async () => {
    const old = await startTestHub({ claude: { ...fakeClaude, env: { FAKE_CLAUDE_VERSION: '2.0.9' } } });
    try {
      const client = await old.client();
      await expect(client.createSession({ name: 'old' })).rejects.toMatchObject({
        code: 'unsupported_version',
        message: expect.stringMatching(/2\.0\.9 is not supported; Switchboard supports 2\.1\.197/) as unknown,
      });
      expect(await client.listSessions()).toEqual([]);
    } finally {
      await old.close();
    }
  });

  it('says how to install Claude Code when the binary is missing', async () => {
    const missing = await startTestHub({ claude: { binary: '/nonexistent/claude' } });
    try {
      const client = await missing.client();
      await expect(client.createSession({})).rejects.toMatchObject({
        code: 'command_not_found',
        message: expect.stringContaining('SWITCHBOARD_CLAUDE_BIN') as unknown,
      });
    } finally {
      await missing.close();
    }
  });
});

describe('durability', () => {
  it('keeps every task across a hub restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-restart-'));
    try {
      const first = createHub({ stateDir, logger: memoryLogger(), claude: fakeClaude });
      await first.listen({ port: 0 });
      const client = await first.connect();
      const reply = await client.request({
        type: 'task.delegate',
        instructions: 'SLEEP 60000',
        title: 'survivor',
        cwd: join(workspace, 'repo1'),
      });
      const task = (reply as { task: TaskInfo }).task;
      await first.close();

      const second = createHub({ stateDir, logger: memoryLogger(), claude: fakeClaude });
      const again = await second.connect();
      const list = await again.request({ type: 'task.list' });
      expect(list).toMatchObject({
        tasks: [{ id: task.id, title: 'survivor', instructions: 'SLEEP 60000' }],
      });
      const cancelled = await again.request({ type: 'task.cancel', task: task.id.slice(0, 8) });
      expect(cancelled).toMatchObject({ task: { status: 'cancelled' } });
      await second.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
