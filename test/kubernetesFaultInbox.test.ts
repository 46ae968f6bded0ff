// Kubernetes worker faults a person must fix reach the inbox (issue 15), against the stand-in API server:
// an RBAC refusal and an image that cannot be pulled each put one `fault` item there, naming the worker and
// the fault, with the fix; dismissing it (over the wire, and with `switchboard dismiss`) removes it, an
// observer cannot, a wrong answer changes nothing, and a later start of the same worker clears it.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { HubClient, InboxChanged } from '../src-protocol/index.js';
import { cleanUp, directory, IMAGE, owner, podHub, standIn } from './kube/harness.js';
import { waitUntil } from './helpers.js';

afterEach(cleanUp);

const run = promisify(execFile);
const BIN = resolve('bin/switchboard');

async function cli(url: string, token: string, ...args: string[]) {
  const env = { ...process.env, SWITCHBOARD_URL: url, SWITCHBOARD_TOKEN: token };
  return run(process.execPath, [BIN, ...args], { env, timeout: 60_000 }).catch(
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const faults = async (client: HubClient) => (await client.inbox()).filter((item) => item.kind === 'fault');

function changesOf(client: HubClient): InboxChanged[] {
  const changes: InboxChanged[] = [];
  client.onMessage((message) => message.type === 'inbox.changed' && void changes.push(message));
  return changes;
}

describe('Kubernetes worker faults in the inbox', () => {
  it("RBAC refusal of a lead's spawn: one fault item with the fix; observers and wrong answers change nothing; dismiss removes it", async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server);
    const changes = changesOf(client);
    const repo = directory('switchboard-kube-repo-');
    const lead = await client.createSession({ cwd: repo, command: 'sleep', args: ['60'], name: 'lead' });
    const caller = { session: hub.hub.registry.find(lead.id)!, name: 'lead' };
    server.forbidden.add('create pods');
    await expect(
      hub.hub.router.spawnWorker(caller, { instructions: 'hi', title: 'w', repo, runtime: 'kubernetes' }),
    ).rejects.toMatchObject({ code: 'not_allowed' });

    const [item, ...more] = await faults(client);
    expect(more).toEqual([]);
    expect(item).toMatchObject({
      kind: 'fault',
      session: lead.id,
      sessionName: 'lead',
      title: 'Kubernetes worker for lead could not start: the cluster refused it (RBAC) (not_allowed)',
      fault: { code: 'not_allowed', runtime: 'kubernetes' },
      readOnly: false,
    });
    expect(item!.message).toContain('RBAC, 403 Forbidden');
    expect(item!.message).toContain('Role in docs/kubernetes.md');

    // An observer sees it read-only and may not dismiss it.
    const observer = await hub.client({
      token: (await client.createInvite('observer', { name: 'Olga' })).token,
    });
    expect((await observer.inbox()).find((candidate) => candidate.id === item!.id)?.readOnly).toBe(true);
    await expect(observer.answer(item!.id, { action: 'dismiss' })).rejects.toMatchObject({
      code: 'not_allowed',
    });
    // Answers that do not fit, and unknown ids: coded errors, the item stays.
    await expect(client.answer(item!.id, { action: 'allow' })).rejects.toMatchObject({
      code: 'invalid_message',
    });
    await expect(client.answer('in-nope', { action: 'dismiss' })).rejects.toMatchObject({
      code: 'unknown_item',
    });
    expect((await faults(client)).map((candidate) => candidate.id)).toEqual([item!.id]);

    const answered = await client.answer(item!.id, { action: 'dismiss' });
    expect(answered.message).toBe('Dismissed: Kubernetes worker could not start (not_allowed).');
    expect(await faults(client)).toEqual([]);
    await waitUntil(() => changes.some((change) => change.kind === 'removed' && change.item.id === item!.id));
    expect(changes.find((change) => change.kind === 'removed')).toMatchObject({
      reason: 'answered',
      answeredBy: { role: 'owner' },
    });
    await expect(client.answer(item!.id, { action: 'dismiss' })).rejects.toMatchObject({
      code: 'item_closed',
    });
    expect(hub.hub.workers.budgets.runningCount).toBe(0);
  }, 60_000);

  it('an image that cannot be pulled: one fault item, listed and dismissed with the CLI; a later start clears another', async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server);
    const changes = changesOf(client);
    const repo = directory('switchboard-kube-repo-');
    const spawn = () =>
      hub.hub.router.spawnWorker(owner, { instructions: 'hi', title: 'w', repo, runtime: 'kubernetes' });
    server.unpullable.add(IMAGE);
    await expect(spawn()).rejects.toMatchObject({ code: 'image_not_found' });

    const [item, ...more] = await faults(client);
    expect(more).toEqual([]);
    expect(item).toMatchObject({
      session: '',
      sessionName: 'owner',
      title:
        'Kubernetes worker for owner could not start: its image cannot be found or pulled (image_not_found)',
      fault: { code: 'image_not_found', runtime: 'kubernetes' },
    });
    expect(item!.message).toContain(`cannot pull image "${IMAGE}"`);
    expect(item!.message).toContain('Push the image where the cluster pulls from');

    const token = hub.hub.ownerToken;
    const listed = await cli(hub.url, token, 'inbox');
    expect(listed.stdout).toContain(item!.id);
    expect(listed.stdout).toContain('fault');
    expect(listed.stdout).toContain('switchboard dismiss ID');
    const wrong = await cli(hub.url, token, 'answer', item!.id, 'merge');
    expect(`${wrong.stdout}${wrong.stderr}`).toContain('Answer a fault with dismiss');
    expect(await faults(client)).toHaveLength(1);
    const dismissed = await cli(hub.url, token, 'dismiss', item!.id.slice(0, 6));
    expect(dismissed.stdout).toContain('Dismissed: Kubernetes worker could not start (image_not_found).');
    expect(await faults(client)).toEqual([]);

    // A second failure, then the image is pushed: the next start clears the item by itself.
    await expect(spawn()).rejects.toMatchObject({ code: 'image_not_found' });
    const [again] = await faults(client);
    expect(again).toBeDefined();
    server.unpullable.clear();
    await spawn();
    expect(await faults(client)).toEqual([]);
    await waitUntil(() =>
      changes.some((change) => change.kind === 'removed' && change.item.id === again!.id),
    );
    expect(changes.find((change) => change.kind === 'removed' && change.item.id === again!.id)).toMatchObject(
      { reason: 'gone' },
    );
  }, 60_000);
});
