// The stand-in API server speaks what the official client expects (issue 15): driven here by
// @kubernetes/client-node itself — create, 409 on a duplicate, list with a label selector, the Watch
// class's event stream, delete with its owned Secret garbage-collected, 401 without the token.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Kube from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { StandInApiServer } from './apiServer.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function clientFor(token?: string) {
  const server = await new StandInApiServer({ images: { idle: ['sleep', '60'] } }).listen();
  const directory = mkdtempSync(join(tmpdir(), 'kube-standin-test-'));
  cleanups.push(
    () => rmSync(directory, { recursive: true, force: true }),
    () => server.close(),
  );
  const config = new Kube.KubeConfig();
  config.loadFromFile(server.kubeconfig(join(directory, 'config'), token));
  return { server, config, core: config.makeApiClient(Kube.CoreV1Api) };
}

const pod = (name: string, labels: Record<string, string>) => ({
  metadata: { name, labels },
  spec: { restartPolicy: 'Never', containers: [{ name: 'worker', image: 'idle', args: [] }] },
});

describe('the stand-in API server, through the official client', () => {
  it('creates, refuses a duplicate, lists by label, watches, and deletes with owned secrets', async () => {
    const { config, core } = await clientFor();
    const namespace = 'switchboard';
    const events: string[] = [];
    const watching = await new Kube.Watch(config).watch(
      `/api/v1/namespaces/${namespace}/pods`,
      { labelSelector: 'team=a' },
      (type, object: Kube.V1Pod) => events.push(`${type} ${object.metadata?.name}`),
      () => undefined,
    );
    cleanups.push(() => watching.abort());
    const created = await core.createNamespacedPod({ namespace, body: pod('one', { team: 'a' }) });
    await core.createNamespacedPod({ namespace, body: pod('two', { team: 'b' }) });
    await expect(
      core.createNamespacedPod({ namespace, body: pod('one', { team: 'a' }) }),
    ).rejects.toMatchObject({
      code: 409,
    });
    const listed = await core.listNamespacedPod({ namespace, labelSelector: 'team=a' });
    expect(listed.items.map((item) => item.metadata?.name)).toEqual(['one']);
    await core.createNamespacedSecret({
      namespace,
      body: {
        metadata: {
          name: 's',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'one', uid: created.metadata!.uid! }],
        },
        stringData: { key: 'value' },
      },
    });
    const secret = await core.readNamespacedSecret({ name: 's', namespace });
    expect(Buffer.from(secret.data!.key!, 'base64').toString()).toBe('value');
    await expect
      .poll(() => core.readNamespacedPod({ name: 'one', namespace }).then((p) => p.status?.phase))
      .toBe('Running');
    await core.deleteNamespacedPod({ name: 'one', namespace, gracePeriodSeconds: 0 });
    await expect(core.readNamespacedSecret({ name: 's', namespace })).rejects.toMatchObject({ code: 404 });
    await expect
      .poll(() => events.filter((event) => !event.startsWith('MODIFIED')))
      .toEqual(['ADDED one', 'DELETED one']);
    await core.deleteNamespacedPod({ name: 'two', namespace, gracePeriodSeconds: 0 });
  });

  it('answers a wrong token with a 401 Status', async () => {
    const { core } = await clientFor('not-the-token');
    await expect(core.listNamespacedPod({ namespace: 'switchboard' })).rejects.toMatchObject({ code: 401 });
  });
});
