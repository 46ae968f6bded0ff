// Ring 2: the inbox on a real hub with the fake agent (test/fixtures/fake-claude.mjs): permission requests
// held and answered, who may answer, and bad input (issue 11).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, InboxChanged, InboxItem } from '../src-protocol/index.js';
import { fixture, outputOf, startTestHub, waitUntil, type TestHub } from './helpers.js';

let hub: TestHub;
let owner: HubClient;
let cwd: string;
const changes: InboxChanged[] = [];

beforeAll(async () => {
  cwd = mkdtempSync(join(tmpdir(), 'switchboard-inbox-'));
  hub = await startTestHub({ claude: { binary: fixture('fake-claude.mjs'), permissionHoldSeconds: 5 } });
  owner = await hub.client();
  owner.onMessage((message) => {
    if (message.type === 'inbox.changed') changes.push(message);
  });
});

afterAll(async () => {
  await hub.close();
  rmSync(cwd, { recursive: true, force: true });
});

/** A fake Claude session that asks to run `command`; resolves once its item is in the inbox. */
async function asking(command: string) {
  const session = await owner.createSession({
    cwd,
    prompt: `ASK Bash ${JSON.stringify({ command, description: 'test' })}`,
  });
  const output = outputOf(owner, session.id);
  await owner.attach(session.id, 'observe');
  let item: InboxItem | undefined;
  await waitUntil(
    () => (item = changes.find((change) => change.item.session === session.id)?.item) !== undefined,
  );
  return { session, item: item!, output };
}

describe('permission requests in the inbox', () => {
  it('an item appears with the tool, its input and the suggestions; allow returns the decision', async () => {
    const { session, item, output } = await asking('npm test');
    expect(item).toMatchObject({
      kind: 'permission',
      session: session.id,
      sessionName: session.name,
      tool: 'Bash',
      input: { command: 'npm test', description: 'test' },
      title: 'Bash: npm test',
      suggestions: ['allow Bash(npm test)'],
      readOnly: false,
    });
    expect((await owner.inbox()).map((listed) => listed.id)).toContain(item.id);
    expect(hub.hub.registry.resolve(session.id).status).toBe('waiting');

    const answered = await owner.answer(item.id, { action: 'allow' });
    expect(answered.message).toMatch(/^Allowed Bash once/);
    await output.waitFor('PERMISSION allow');
    expect(output.text).not.toContain('always');
    await waitUntil(() => changes.some((change) => change.item.id === item.id && change.kind === 'removed'));
    const removed = changes.find((change) => change.item.id === item.id && change.kind === 'removed')!;
    expect(removed).toMatchObject({ reason: 'answered', answeredBy: { name: 'owner', role: 'owner' } });
    expect((await owner.inbox()).map((listed) => listed.id)).not.toContain(item.id);
    // Attributed in the event table: who, with which client, from where.
    const events = await owner.activity(session.id);
    expect(events.find((event) => event.kind === 'inbox.answered')?.data).toMatchObject({
      item: item.id,
      action: 'allow',
      by: 'owner',
      role: 'owner',
    });
  });

  it("allow --always passes the request's own rules, scoped to the session; mode switches are left out", async () => {
    const { item, output } = await asking('npm test');
    await owner.answer(item.id, { action: 'allow', always: true });
    await output.waitFor('PERMISSION allow always');
    const updated = JSON.parse(/always (\[.*\])/.exec(output.text)![1]!) as unknown[];
    expect(updated).toEqual([
      {
        type: 'addRules',
        rules: [{ toolName: 'Bash', ruleContent: 'npm test' }],
        behavior: 'allow',
        destination: 'session',
      },
    ]);
  });

  it('deny carries the message the model will see', async () => {
    const { item, output } = await asking('rm -rf build');
    await owner.answer(item.id, { action: 'deny', message: 'Use make clean instead.' });
    await output.waitFor('PERMISSION deny Use make clean instead.');
  });

  it('with no answer within the hold, the hook gives no decision and the item expires', async () => {
    const { item, output } = await asking('sleep 1');
    expect(Date.parse(item.expiresAt!) - Date.parse(item.since)).toBe(5000);
    await output.waitFor('PERMISSION none', 15_000);
    const removed = changes.find((change) => change.item.id === item.id && change.kind === 'removed');
    expect(removed?.reason).toBe('expired');
    await expect(owner.answer(item.id, { action: 'allow' })).rejects.toMatchObject({ code: 'item_closed' });
  }, 20_000);
});

describe('bad input changes nothing', () => {
  it('answering twice, an unknown item, an answer of the wrong kind: coded errors', async () => {
    const { item, output } = await asking('ls');
    await expect(owner.answer(item.id, { action: 'reply', text: 'yes' })).rejects.toMatchObject({
      code: 'invalid_message',
    });
    await expect(owner.answer('in-nosuchitem', { action: 'allow' })).rejects.toMatchObject({
      code: 'unknown_item',
    });
    // Two answers racing: one wins, the other is refused, and the hook got exactly the first.
    const results = await Promise.allSettled([
      owner.answer(item.id, { action: 'deny', message: 'first' }),
      owner.answer(item.id, { action: 'allow' }),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'item_closed' });
    await output.waitFor('PERMISSION deny first');
    await expect(owner.answer(item.id, { action: 'allow' })).rejects.toMatchObject({ code: 'item_closed' });
  });

  it("a hook naming another session than its token's is refused and makes no item", async () => {
    const before = (await owner.inbox()).length;
    const session = await owner.createSession({ cwd, prompt: 'FORGE 00000000-0000-4000-8000-000000000000' });
    const output = outputOf(owner, session.id);
    await owner.attach(session.id, 'observe');
    await output.waitFor('FORGED 403 not_allowed');
    expect((await owner.inbox()).length).toBe(before);
    expect(hub.logger.events.some((event) => event.event === 'session.hook_refused')).toBe(true);
  });
});

describe('who may answer', () => {
  it('an observer sees items read-only and is refused; a driver of that session answers, attributed', async () => {
    const { session, item, output } = await asking('make');
    const observer = await hub.client({
      token: (await owner.createInvite('observer', { name: 'Olga' })).token,
    });
    const listed = (await observer.inbox()).find((candidate) => candidate.id === item.id);
    expect(listed?.readOnly).toBe(true);
    await expect(observer.answer(item.id, { action: 'allow' })).rejects.toMatchObject({
      code: 'not_allowed',
    });

    const other = await owner.createSession({ cwd, command: 'sleep', args: ['30'] });
    const elsewhere = await hub.client({
      token: (await owner.createInvite('driver', { session: other.id, name: 'Eve' })).token,
    });
    expect((await elsewhere.inbox()).map((candidate) => candidate.id)).not.toContain(item.id);
    await expect(elsewhere.answer(item.id, { action: 'allow' })).rejects.toMatchObject({
      code: 'unknown_item',
    });

    const driver = await hub.client({
      token: (await owner.createInvite('driver', { session: session.id, name: 'Bob' })).token,
    });
    const seen: InboxChanged[] = [];
    driver.onMessage((message) => message.type === 'inbox.changed' && void seen.push(message));
    expect((await driver.inbox()).find((candidate) => candidate.id === item.id)?.readOnly).toBe(false);
    await driver.answer(item.id, { action: 'allow' });
    await output.waitFor('PERMISSION allow');
    await waitUntil(() => seen.some((change) => change.kind === 'removed'));
    expect(seen.find((change) => change.kind === 'removed')?.answeredBy).toMatchObject({
      name: 'Bob',
      role: 'driver',
    });
    const events = await owner.activity(session.id);
    expect(events.find((event) => event.kind === 'inbox.answered')?.data).toMatchObject({
      by: 'Bob',
      role: 'driver',
    });
    await owner.kill(other.id);
  });
});
