// Issue 13 #10: `task.history` answers with every status the hub's event table recorded for a task, so a
// client that connects after the task finished still sees its whole life; unknown ids and invitees are
// refused with codes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient } from '../src-protocol/index.js';
import { connectHub } from '../src-cli/connect.js';
import { fixture, startTestHub, waitUntil, type TestHub } from './helpers.js';

let work: string;
let hub: TestHub;
let owner: HubClient;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-task-history-'));
  hub = await startTestHub({ claude: { binary: fixture('fake-claude.mjs'), unreportedGraceSeconds: 600 } });
  owner = await hub.client();
});
afterAll(async () => {
  await hub.close();
  rmSync(work, { recursive: true, force: true });
});

const report = `CALL report_result ${JSON.stringify({ status: 'done', summary: 'did it' })}`;

describe('task.history', () => {
  it('gives a late client every status the task went through, oldest first', async () => {
    const { task } = await owner.expect('task.result', {
      type: 'task.delegate',
      instructions: report,
      title: 'history',
      cwd: work,
    });
    await waitUntil(
      () =>
        hub.hub.router.list({ session: null, name: 'owner' }).find((t) => t.id === task.id)?.status ===
        'done',
      20_000,
      'the task done',
    );
    // A client that connects now never heard a task.event for it.
    const late = await hub.client();
    const reply = await late.expect('task.history.result', {
      type: 'task.history',
      task: task.id.slice(0, 8),
    });
    expect(reply.task).toBe(task.id);
    const statuses = reply.steps.map((step) => step.status);
    expect(statuses[0]).toBe('queued');
    expect(statuses.at(-1)).toBe('done');
    expect(statuses).toEqual(expect.arrayContaining(['queued', 'delivered', 'running', 'done']));
    // Oldest first, each step a change.
    const times = reply.steps.map((step) => Date.parse(step.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    statuses.forEach((status, index) => index > 0 && expect(status).not.toBe(statuses[index - 1]));
  });

  it('refuses an unknown task and an invitee with coded errors', async () => {
    await expect(owner.request({ type: 'task.history', task: 'ffffffff' })).rejects.toMatchObject({
      code: 'unknown_task',
    });
    const { token } = await owner.createInvite('driver');
    const guest = await connectHub({ url: hub.url, token });
    await expect(guest.request({ type: 'task.history', task: 'ffffffff' })).rejects.toMatchObject({
      code: 'not_allowed',
    });
    guest.close();
  });
});
