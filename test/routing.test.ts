// Ring 2, issue 17: re-route and retry on a real hub whose Claude sessions are the fake agent. A queued
// task moves with its id and history and never reaches the session it left; a retry is a linked copy;
// only the owner, or the session that delegated a task, may route it; every refusal is coded and harmless.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubClient, TaskInfo } from '../src-protocol/index.js';
import { createHub, memoryLogger } from '../src-hub/index.js';
import { fixture, mcpClient, startTestHub, waitForScreen, waitUntil, type TestHub } from './helpers.js';

const fakeClaude = { binary: fixture('fake-claude.mjs'), unreportedGraceSeconds: 1 };
const owner = { session: null, name: 'owner' } as const;
let hub: TestHub;
let client: HubClient;
let workspace: string;

beforeEach(async () => {
  workspace = mkdtempSync(join(tmpdir(), 'switchboard-routing-'));
  for (const repo of ['repo1', 'repo2']) mkdirSync(join(workspace, repo));
  hub = await startTestHub({ claude: fakeClaude });
  client = await hub.client();
});
afterEach(async () => {
  await hub.close();
  rmSync(workspace, { recursive: true, force: true });
});

const call = (tool: string, args: unknown) => `CALL ${tool} ${JSON.stringify(args)}`;
const report = (status: string, summary: string) => call('report_result', { status, summary });
const tokenOf = (session: string) => hub.hub.registry.resolve(session).spec.env.SWITCHBOARD_SESSION_TOKEN!;
const taskNow = (id: string) => hub.hub.router.list(owner).find((task) => task.id === id)!;
const textOf = (result: Record<string, unknown>) =>
  ((result.content ?? []) as Array<{ text: string }>).map((part) => part.text).join('');

async function newClaude(name: string, cwd = join(workspace, 'repo1')) {
  const session = await client.createSession({ name, cwd });
  await waitUntil(() => hub.hub.registry.resolve(session.id).status === 'idle', 10_000, `${name} ready`);
  return session;
}

/** A session busy with a long turn: whatever is delegated to it stays queued. */
async function busyClaude(name: string, ms = 60_000) {
  const session = await newClaude(name);
  await client.input(session.id, `SLEEP ${ms}\r`);
  await waitUntil(() => hub.hub.registry.resolve(session.id).status === 'working', 5000, `${name} busy`);
  return session;
}

async function delegate(to: string, instructions: string, title = 'job'): Promise<TaskInfo> {
  return (await client.expect('task.result', { type: 'task.delegate', instructions, title, to })).task;
}

async function refusal(
  message: Parameters<HubClient['request']>[0],
): Promise<{ code: string; message: string }> {
  const error = await client.request(message).then(
    () => undefined,
    (thrown: { code: string; message: string }) => thrown,
  );
  expect(error, `${message.type} should be refused`).toBeDefined();
  return error!;
}

async function statusOf(id: string, status: TaskInfo['status']) {
  await waitUntil(() => taskNow(id).status === status, 15_000, `task ${status}`);
  return taskNow(id);
}

describe('re-route', () => {
  it('moves a queued task to another session: same id, a history entry, delivered there and never to the first', async () => {
    const b = await newClaude('beta');
    const a = await busyClaude('alpha', 4000);
    const queued = await delegate('alpha', report('done', 'beta did it'), 'moved');
    expect(queued.status).toBe('queued');

    const { task } = await client.expect('task.result', {
      type: 'task.reroute',
      task: queued.id,
      to: 'beta',
    });
    expect(task).toMatchObject({ id: queued.id, toSession: b.id, toName: 'beta', status: 'queued' });
    expect(task.history).toEqual([
      expect.objectContaining({
        kind: 'rerouted',
        by: 'owner',
        text: 're-routed from alpha to beta by owner',
        fromSession: a.id,
        toSession: b.id,
      }),
    ]);
    const done = await statusOf(queued.id, 'done');
    expect(done.result).toMatchObject({ summary: 'beta did it' });
    expect(done.history).toHaveLength(1);
    // Alpha finishes its turn and goes idle: nothing was left queued for it, so it never gets the task.
    await waitUntil(() => hub.hub.registry.resolve(a.id).status === 'idle', 15_000, 'alpha idle');
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect((await client.screen(a.id)).lines.join('\n')).not.toContain(queued.id);
    expect((await client.screen(b.id)).lines.join('')).toContain(`[switchboard task ${queued.id}]`);
  });

  it('refuses, each with its own code, and changes nothing: delivered, non-Claude, same, ended, unknown', async () => {
    await busyClaude('alpha');
    const beta = await newClaude('beta');
    const gone = await newClaude('gone');
    await client.kill(gone.id);
    await waitUntil(() => hub.hub.registry.resolve(gone.id).isEnded, 5000, 'gone ended');
    await client.createSession({ name: 'shell', cwd: workspace, command: 'bash', args: ['--norc'] });
    const queued = await delegate('alpha', 'SLEEP 10', 'stays');
    const running = await delegate('beta', 'SLEEP 60000', 'runs');
    await statusOf(running.id, 'running');

    const delivered = await refusal({ type: 'task.reroute', task: running.id, to: 'alpha' });
    expect(delivered.code).toBe('task_delivered');
    expect(delivered.message).toMatch(/already delivered to beta.*switchboard retry \S+ --to alpha/);
    const shell = await refusal({ type: 'task.reroute', task: queued.id, to: 'shell' });
    expect(shell.code).toBe('not_allowed');
    expect(shell.message).toMatch(/not a Claude session/);
    expect((await refusal({ type: 'task.reroute', task: queued.id, to: 'alpha' })).code).toBe('same_session');
    expect((await refusal({ type: 'task.reroute', task: queued.id, to: 'gone' })).code).toBe('session_ended');
    expect((await refusal({ type: 'task.reroute', task: 'nosuchtask', to: 'beta' })).code).toBe(
      'unknown_task',
    );
    expect((await refusal({ type: 'task.reroute', task: queued.id, to: 'nobody' })).code).toBe(
      'unknown_session',
    );

    expect(taskNow(queued.id)).toMatchObject({ toName: 'alpha', status: 'queued', history: [] });
    expect(taskNow(running.id)).toMatchObject({ toSession: beta.id, status: 'running', history: [] });
  });
});

describe('retry', () => {
  it('sends a copy of a failed task, linked both ways, and the copy runs', async () => {
    await newClaude('beta');
    const gamma = await newClaude('gamma');
    const failed = await delegate('beta', report('failed', 'could not'), 'flaky');
    await statusOf(failed.id, 'failed');

    const reply = await client.expect('task.retry.result', {
      type: 'task.retry',
      task: failed.id,
      to: 'gamma',
    });
    expect(reply.task).toMatchObject({
      retryOf: failed.id,
      toSession: gamma.id,
      title: 'flaky',
      status: 'queued',
    });
    expect(reply.task.id).not.toBe(failed.id);
    expect(reply.original).toMatchObject({ id: failed.id, status: 'failed', retriedAs: reply.task.id });
    expect(reply.original.history?.at(-1)?.text).toMatch(/^re-sent as \S+ to gamma by owner$/);
    expect(reply.task.history?.[0]).toMatchObject({ kind: 'retry', task: failed.id });
    await statusOf(reply.task.id, 'failed'); // the same instructions, run again in gamma
    expect((await client.screen(gamma.id)).lines.join('')).toContain(`[switchboard task ${reply.task.id}]`);

    const again = await refusal({ type: 'task.retry', task: failed.id, to: 'gamma' });
    expect(again.code).toBe('not_allowed');
    expect(again.message).toMatch(/retry that one/);
  });

  it('refuses a running task without force; with force cancels it and sends the copy to a new session in --cwd', async () => {
    const beta = await newClaude('beta');
    const running = await delegate('beta', 'SLEEP 60000', 'long');
    await statusOf(running.id, 'running');
    const refused = await refusal({ type: 'task.retry', task: running.id, cwd: join(workspace, 'repo2') });
    expect(refused.code).toBe('task_running');
    expect(refused.message).toMatch(/--force/);
    expect(taskNow(running.id)).toMatchObject({ status: 'running', retriedAs: null });
    expect(hub.hub.registry.list()).toHaveLength(1); // no session was started for the refused copy

    const { task, original } = await client.expect('task.retry.result', {
      type: 'task.retry',
      task: running.id,
      cwd: join(workspace, 'repo2'),
      force: true,
    });
    expect(original).toMatchObject({ status: 'cancelled', retriedAs: task.id });
    expect(original.result?.summary).toMatch(/re-sent as/);
    const started = hub.hub.registry.resolve(task.toSession);
    expect(started.id).not.toBe(beta.id);
    expect(started.spec.cwd).toBe(join(workspace, 'repo2'));
    await statusOf(task.id, 'running');
  });
});

describe('who may route', () => {
  it('a session routes only the tasks it delegated; its target, others and invitees cannot', async () => {
    const lead = await newClaude('lead');
    await busyClaude('alpha');
    const beta = await newClaude('beta');
    const other = await newClaude('other');
    const asLead = await mcpClient(hub.url, tokenOf(lead.id));
    const made = await asLead.callTool({
      name: 'delegate',
      arguments: { instructions: report('done', 'via lead'), title: 'lead-task', to: 'alpha' },
    });
    const id = (made.structuredContent as { task_id: string }).task_id;

    const asOther = await mcpClient(hub.url, tokenOf(other.id));
    const stranger = await asOther.callTool({ name: 'reroute_task', arguments: { task_id: id, to: 'beta' } });
    expect(textOf(stranger)).toMatch(/^unknown_task: /);
    const asAlpha = await mcpClient(hub.url, tokenOf('alpha'));
    const target = await asAlpha.callTool({ name: 'retry_task', arguments: { task_id: id, to: 'beta' } });
    expect(textOf(target)).toMatch(/^not_allowed: .*delegated by lead; only it or the owner/);
    const { token } = await client.createInvite('driver');
    const invitee = await hub.client({ token });
    await expect(invitee.request({ type: 'task.reroute', task: id, to: 'beta' })).rejects.toMatchObject({
      code: 'not_allowed',
    });
    await expect(invitee.request({ type: 'task.retry', task: id, to: 'beta' })).rejects.toMatchObject({
      code: 'not_allowed',
    });
    expect(taskNow(id)).toMatchObject({ toName: 'alpha', status: 'queued', retriedAs: null });

    const moved = await asLead.callTool({ name: 'reroute_task', arguments: { task_id: id, to: 'beta' } });
    expect(moved.isError).toBeFalsy();
    expect(moved.structuredContent).toMatchObject({
      task_id: id,
      to_session: beta.id,
      history: ['re-routed from alpha to beta by lead'],
    });
    await statusOf(id, 'done');
    for (const mcp of [asLead, asOther, asAlpha]) await mcp.close();
  });
});

describe('durability', () => {
  it('keeps re-route history and retry links across a hub restart', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-routing-restart-'));
    try {
      const first = createHub({ stateDir, logger: memoryLogger(), claude: fakeClaude });
      await first.listen({ port: 0 });
      const owned = await first.connect();
      const a = await owned.createSession({ name: 'alpha', cwd: join(workspace, 'repo1') });
      const b = await owned.createSession({ name: 'beta', cwd: join(workspace, 'repo1') });
      await waitUntil(() => first.registry.resolve(b.id).status === 'idle', 10_000, 'beta ready');
      await waitUntil(() => first.registry.resolve(a.id).status === 'idle', 10_000, 'alpha ready');
      await owned.input(a.id, 'SLEEP 60000\r');
      await waitUntil(() => first.registry.resolve(a.id).status === 'working', 5000, 'alpha busy');
      const { task } = await owned.expect('task.result', {
        type: 'task.delegate',
        instructions: report('failed', 'nope'),
        to: 'alpha',
      });
      await owned.expect('task.result', { type: 'task.reroute', task: task.id, to: 'beta' });
      await waitForScreen(owned, b.id, 'RESULT report_result', 15_000);
      const retried = await owned.expect('task.retry.result', {
        type: 'task.retry',
        task: task.id,
        to: 'beta',
      });
      await first.close();

      const second = createHub({ stateDir, logger: memoryLogger(), claude: fakeClaude });
      const again = await second.connect();
      const { task: original } = await again.expect('task.result', { type: 'task.get', task: task.id });
      expect(original).toMatchObject({ retriedAs: retried.task.id, toSession: b.id });
      expect(original.history?.map((step) => step.kind)).toEqual(['rerouted', 'retried']);
      const { task: copy } = await again.expect('task.result', { type: 'task.get', task: retried.task.id });
      expect(copy).toMatchObject({ retryOf: task.id });
      await second.close();
    } finally {
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
});
