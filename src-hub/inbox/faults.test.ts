import { describe, expect, it } from 'vitest';
import { HubError, InboxAnswerSchema, InboxItemSchema } from '../../src-protocol/index.js';
import { FaultItems, needsHuman } from './faults.js';
import { Inbox, type InboxChange } from './inbox.js';

const by = { name: 'owner', role: 'owner', client: null, address: null };
const rbac = new HubError(
  'not_allowed',
  'Kubernetes refused create pods (RBAC, 403 Forbidden): no. Give the hub the Role in docs/kubernetes.md.',
);

function setUp() {
  const inbox = new Inbox(() => Date.parse('2026-01-01T00:00:00Z'));
  const changes: InboxChange[] = [];
  inbox.onDidChangeItem((change) => changes.push(change));
  const faults = new FaultItems({
    inbox,
    context: () => ({ task: { id: 't-1', title: 'build it' }, chain: [] }),
  });
  return { inbox, faults, changes };
}

describe('fault items', () => {
  it('only faults a person must fix: RBAC, images, the cluster, Docker, a pod never started', () => {
    expect(needsHuman(rbac)).toBe(true);
    for (const code of [
      'image_not_found',
      'kubernetes_unavailable',
      'docker_unavailable',
      'timeout',
    ] as const)
      expect(needsHuman(new HubError(code, 'x')), code).toBe(true);
    // The asker's own mistakes and policy: its error answers them, no person needed.
    expect(needsHuman(new HubError('not_allowed', 'Image "x" is not allowed for spawn_worker'))).toBe(false);
    expect(needsHuman(new HubError('budget_exceeded', 'concurrentWorkers = 1'))).toBe(false);
    expect(needsHuman(new HubError('invalid_message', 'bad'))).toBe(false);
    expect(needsHuman(new Error('plain'))).toBe(false);
  });

  it('a failed start is one item naming the worker and the fault, with the fix; dismiss removes it', async () => {
    const { inbox, faults, changes } = setUp();
    faults.startFailed({ runtime: 'kubernetes', session: 's-lead', name: 'lead' }, rbac);
    faults.startFailed(
      { runtime: 'kubernetes', session: 's-lead', name: 'lead' },
      new HubError('budget_exceeded', 'full'),
    );
    const [item] = inbox.list();
    expect(inbox.list()).toHaveLength(1);
    expect(item).toMatchObject({
      kind: 'fault',
      session: 's-lead',
      sessionName: 'lead',
      title: 'Kubernetes worker for lead could not start: the cluster refused it (RBAC) (not_allowed)',
      message: rbac.message,
      fault: { code: 'not_allowed', runtime: 'kubernetes' },
      task: { id: 't-1', title: 'build it' },
    });
    // Any other answer is refused with a code, and the item stays.
    await expect(
      inbox.answer(inbox.get(item!.id)!, { action: 'reply', text: 'ok' }, by),
    ).rejects.toMatchObject({
      code: 'invalid_message',
    });
    expect(inbox.list()).toHaveLength(1);
    const result = await inbox.answer(inbox.get(item!.id)!, { action: 'dismiss' }, by);
    expect(result.message).toBe('Dismissed: Kubernetes worker could not start (not_allowed).');
    expect(inbox.list()).toHaveLength(0);
    expect(changes.at(-1)).toMatchObject({
      kind: 'removed',
      reason: 'answered',
      answer: { action: 'dismiss' },
    });
  });

  it('dismiss fits only a fault: on another item it is refused with a code, the item stays', async () => {
    const { inbox } = setUp();
    let answered = false;
    inbox.add({
      item: {
        id: 'in-q',
        kind: 'question',
        session: 's-1',
        sessionName: 'api',
        title: 'q?',
        since: inbox.since(),
      },
      answer: () => ((answered = true), { message: 'typed' }),
    });
    await expect(inbox.answer(inbox.get('in-q')!, { action: 'dismiss' }, by)).rejects.toMatchObject({
      code: 'invalid_message',
      message: 'A question item is answered with reply, not dismiss.',
    });
    expect(answered).toBe(false);
    expect(inbox.list().map((item) => item.id)).toEqual(['in-q']);
  });

  it('on the wire: a fault item parses; dismiss takes no fields', () => {
    const { inbox, faults } = setUp();
    faults.startFailed(
      { runtime: 'docker', session: null, name: 'owner' },
      new HubError('docker_unavailable', 'x'),
    );
    expect(InboxItemSchema.safeParse({ ...inbox.list()[0], readOnly: false }).success).toBe(true);
    expect(InboxAnswerSchema.safeParse({ action: 'dismiss' }).success).toBe(true);
    expect(InboxAnswerSchema.safeParse({ action: 'dismiss', mode: 'merge' }).success).toBe(false);
  });

  it('a later start of the same runtime and image clears its faults; another image leaves them', () => {
    const { inbox, faults, changes } = setUp();
    const pull = new HubError('image_not_found', 'cannot pull image "w:1". Push the image where …');
    faults.startFailed({ runtime: 'kubernetes', image: 'w:1', session: null, name: 'owner' }, pull);
    expect(inbox.list()[0]).toMatchObject({
      session: '',
      title:
        'Kubernetes worker (w:1) for owner could not start: its image cannot be found or pulled (image_not_found)',
      fault: { code: 'image_not_found', runtime: 'kubernetes', image: 'w:1' },
      task: null,
    });
    faults.started({ runtime: 'kubernetes', image: 'w:2' });
    faults.started({ runtime: 'docker', image: 'w:1' });
    expect(inbox.list()).toHaveLength(1);
    faults.started({ runtime: 'kubernetes', image: 'w:1' });
    expect(inbox.list()).toHaveLength(0);
    expect(changes.at(-1)).toMatchObject({ kind: 'removed', reason: 'gone' });
  });

  it('a dismissal is not undone by a later start (the item is gone once)', async () => {
    const { inbox, faults, changes } = setUp();
    faults.startFailed(
      { runtime: 'docker', session: null, name: 'owner' },
      new HubError('docker_unavailable', 'x'),
    );
    await inbox.answer(inbox.get(inbox.list()[0]!.id)!, { action: 'dismiss' }, by);
    const seen = changes.length;
    faults.started({ runtime: 'docker' });
    expect(changes).toHaveLength(seen);
  });
});
