// Ring 2, issue 13: the hub keeps notices (a task ended, a session ended) with a read mark, so a window
// opened later sees recent ones, and those that came while no window was open are unread; both outlive a
// restart. Owner only; bad requests get coded errors and change nothing.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HubError, type HubClient, type HubMessage, type TaskInfo } from '../src-protocol/index.js';
import { fixture, startTestHub, waitUntil, type TestHub } from './helpers.js';

const fakeClaude = { binary: fixture('fake-claude.mjs'), unreportedGraceSeconds: 1 };
let hub: TestHub;
let stateDir: string;
let workspace: string;

beforeEach(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'switchboard-notices-'));
  workspace = mkdtempSync(join(tmpdir(), 'switchboard-notices-repo-'));
  mkdirSync(join(workspace, 'repo'));
  hub = await startTestHub({ stateDir, claude: fakeClaude });
});
afterEach(async () => {
  await hub.close();
  rmSync(stateDir, { recursive: true, force: true });
  rmSync(workspace, { recursive: true, force: true });
});

const list = (client: HubClient) => client.expect('notice.list.result', { type: 'notice.list' });
/** Marks read up to `upTo`, then reads the mark back. */
const read = async (client: HubClient, upTo: number) => {
  await client.expect('ok', { type: 'notice.read', upTo });
  return list(client);
};
const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: unknown) => (error instanceof HubError ? error.code : String(error)),
  );

/** A fake Claude session that reports a delegated task done as soon as it reads it. */
async function finishTask(client: HubClient): Promise<TaskInfo> {
  const session = await client.createSession({ name: 'worker', cwd: join(workspace, 'repo') });
  await waitUntil(() => hub.hub.registry.resolve(session.id).status === 'idle', 10_000, 'worker ready');
  const instructions = `CALL report_result ${JSON.stringify({ status: 'done', summary: 'all green' })}`;
  const { task } = await client.expect('task.result', {
    type: 'task.delegate',
    instructions,
    title: 'build it',
    to: session.id,
  });
  await waitUntil(
    () =>
      hub.hub.router.list({ session: null, name: 'owner' }).find((t) => t.id === task.id)?.status === 'done',
    15_000,
    'task done',
  );
  return task;
}

describe('notices kept by the hub (issue 13)', () => {
  it('a window opened after a task ended sees it as unread; the read mark outlives a restart', async () => {
    const window = await hub.client();
    expect(await list(window)).toMatchObject({ notices: [], readUpTo: 0 });
    window.close(); // no window open from here on

    const cli = await hub.client();
    const task = await finishTask(cli);
    const sessionId = task.toSession;
    await cli.request({ type: 'session.kill', session: sessionId });
    cli.close();

    const later = await hub.client();
    const { notices, readUpTo } = await list(later);
    expect(notices.map((notice) => notice.kind)).toEqual(['ended', 'task']);
    expect(notices[1]).toMatchObject({
      task: task.id,
      status: 'done',
      title: 'Task done: build it',
      body: 'all green',
    });
    expect(notices.every((notice) => notice.id > readUpTo)).toBe(true);

    const newest = notices[0]!.id;
    expect((await read(later, newest)).readUpTo).toBe(newest);
    await hub.close();
    hub = await startTestHub({ stateDir, claude: fakeClaude });
    const afterRestart = await list(await hub.client());
    expect(afterRestart.readUpTo).toBe(newest);
    // Sessions that ended because the hub stopped are not news: nothing new since.
    expect(afterRestart.notices.map((notice) => notice.id)).toEqual(notices.map((notice) => notice.id));
  }, 60_000);

  it('a Claude session the hub stops to resume it at the next start is not news', async () => {
    const window = await hub.client();
    const pushed: HubMessage[] = [];
    window.onMessage((message) => pushed.push(message));
    const session = await window.createSession({ name: 'lead', cwd: join(workspace, 'repo') });
    await waitUntil(() => hub.hub.registry.resolve(session.id).status === 'idle', 10_000, 'lead ready');
    let gone = false;
    window.onClose(() => (gone = true));
    // The process ends when the hub stops (it is hung up on, exit 129); the session is not over. The
    // window stays connected until the hub closes it, so it gets every frame the hub sends meanwhile.
    await hub.hub.close();
    await waitUntil(() => gone, 5000, 'the window hears the hub close');
    await hub.close();
    expect(pushed.some((message) => message.type === 'connection.closing')).toBe(true);
    const noticed = pushed.filter((message) => message.type === 'notice.event' && message.kind === 'added');
    expect(noticed).toEqual([]);
    // Nor does any window, tray or CLI hear it ended (they would raise "lead ended").
    const endedFrames = pushed.filter(
      (message) => message.type === 'session.event' && message.session.status === 'ended',
    );
    expect(endedFrames).toEqual([]);
    hub = await startTestHub({ stateDir, claude: fakeClaude });
    await waitUntil(() => hub.hub.registry.find(session.id)?.status === 'idle', 15_000, 'lead resumed');
    expect((await list(await hub.client())).notices).toEqual([]);
  }, 60_000);

  it('pushes new notices and read marks to connected owners, one notice per task', async () => {
    const window = await hub.client();
    const pushed: HubMessage[] = [];
    window.onMessage((message) => message.type === 'notice.event' && pushed.push(message));
    const task = await finishTask(window);
    await waitUntil(() => pushed.length > 0, 5000, 'notice.event');
    expect(pushed[0]).toMatchObject({ kind: 'added', notice: { kind: 'task', task: task.id }, readUpTo: 0 });
    const other = await hub.client();
    const id = (pushed[0] as { notice: { id: number } }).notice.id;
    await read(other, id);
    await waitUntil(() => pushed.some((m) => m.type === 'notice.event' && m.kind === 'read'), 5000, 'read');
    expect(pushed.filter((m) => m.type === 'notice.event' && m.kind === 'added')).toHaveLength(1);
  }, 60_000);

  it('refuses observers and bad marks with coded errors, and the mark never moves back or past the newest', async () => {
    const owner = await hub.client();
    const { token } = await owner.createInvite('observer');
    const observer = await hub.client({ token });
    expect(await codeOf(list(observer))).toBe('not_allowed');
    expect(await codeOf(read(observer, 1))).toBe('not_allowed');
    expect(await codeOf(owner.request({ type: 'notice.read', upTo: -1 }))).toBe('invalid_message');
    expect((await read(owner, 99)).readUpTo).toBe(0); // no notices yet: nothing to mark

    await finishTask(owner);
    const newest = (await list(owner)).notices[0]!.id;
    expect((await read(owner, newest + 50)).readUpTo).toBe(newest);
    expect((await read(owner, 0)).readUpTo).toBe(newest);
  }, 60_000);
});
