// Kubernetes workers when things go wrong (issue 15), against the stand-in API server: no kubeconfig, an
// API server that does not answer, RBAC refusals, an image that cannot be pulled, a pod never scheduled,
// a pod deleted from outside, the tree's deadline, budgets. Each is a clear coded error (or the task's
// result), nothing is left in the "cluster", and the budget place is free again.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { podName } from '../src-hub/kube/manifests.js';
import {
  cleanUp,
  directory,
  expectNothingLeft,
  IMAGE,
  owner,
  podHub,
  standIn,
  taskTitled,
} from './kube/harness.js';
import { waitForScreen, waitUntil } from './helpers.js';

afterEach(cleanUp);

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('Kubernetes worker faults', () => {
  it('no kubeconfig, and an API server that does not answer: clear errors, no budget held', async () => {
    const { hub, client } = await podHub(undefined);
    const repo = directory('switchboard-kube-repo-');
    const none = (await client
      .createSession({ cwd: repo, kubernetes: {} })
      .catch((error: unknown) => error)) as Error;
    expect(none).toMatchObject({ code: 'kubernetes_unavailable' });
    expect(none.message).toMatch(/No kubeconfig.*SWITCHBOARD_KUBE_CONFIG/);

    // A kubeconfig for an API server at a port where nothing listens.
    const server = await standIn();
    const port = await closedPort();
    server.url = `https://127.0.0.1:${port}`;
    const config = server.kubeconfig(join(directory('switchboard-kubeconfig-'), 'config'));
    const { hub: second, client: other } = await podHub(undefined, { kubeconfig: config });
    const down = (await other
      .createSession({ cwd: repo, kubernetes: {} })
      .catch((error: unknown) => error)) as Error;
    expect(down).toMatchObject({ code: 'kubernetes_unavailable' });
    expect(down.message).toContain(`No answer from the Kubernetes API server at https://127.0.0.1:${port}`);
    expect(down.message).toContain('ECONNREFUSED');
    expect(hub.hub.workers.budgets.runningCount + second.hub.workers.budgets.runningCount).toBe(0);
    expect(hub.hub.registry.list()).toHaveLength(0);
  }, 60_000);

  it('RBAC refusals of create pods, create secrets and pods/attach: not_allowed, nothing left behind', async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server);
    const repo = directory('switchboard-kube-repo-');
    for (const verb of ['create pods', 'create secrets', 'get pods/attach']) {
      server.forbidden.clear();
      server.forbidden.add(verb);
      const refused = (await client
        .createSession({ cwd: repo, kubernetes: {} })
        .catch((error: unknown) => error)) as Error;
      expect(refused, verb).toMatchObject({ code: 'not_allowed' });
      expect(refused.message).toContain('RBAC, 403 Forbidden');
      expect(refused.message).toContain('docs/kubernetes.md');
      if (verb !== 'get pods/attach')
        expect(refused.message).toContain(`cannot ${verb.split(' ')[0]} resource`);
      await expectNothingLeft(server, []);
      expect(hub.hub.workers.budgets.runningCount).toBe(0);
    }
    // Allowed again, the same hub starts a worker.
    server.forbidden.clear();
    const session = await client.createSession({ cwd: repo, kubernetes: {} });
    expect(session.worker).toMatchObject({ runtime: 'kubernetes', phase: 'Running' });
  }, 60_000);

  it('an image that cannot be pulled, and a pod never scheduled: clear errors, nothing left behind', async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server, { startTimeoutSeconds: 2 });
    const repo = directory('switchboard-kube-repo-');
    server.unpullable.add(IMAGE);
    const pull = (await client
      .createSession({ cwd: repo, kubernetes: {} })
      .catch((error: unknown) => error)) as Error;
    expect(pull).toMatchObject({ code: 'image_not_found' });
    expect(pull.message).toMatch(
      /cannot pull image "switchboard-worker:latest" \((ErrImagePull|ImagePullBackOff)/,
    );
    await expectNothingLeft(server, []);

    server.unpullable.clear();
    server.neverSchedule = true;
    const never = (await client
      .createSession({ cwd: repo, kubernetes: {} })
      .catch((error: unknown) => error)) as Error;
    expect(never).toMatchObject({ code: 'timeout' });
    expect(never.message).toContain('did not start within 2 s (phase Pending: 0/1 nodes are available');
    await expectNothingLeft(server, []);
    expect(hub.hub.workers.budgets.runningCount).toBe(0);
  }, 60_000);

  it('a pod deleted from outside fails its task with the reason; its Secret goes, its budget place is free', async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server);
    const task = await hub.hub.router.spawnWorker(owner, {
      instructions: 'hello',
      title: 'victim',
      repo: directory('switchboard-kube-repo-'),
      runtime: 'kubernetes',
    });
    await waitForScreen(client, task.toSession, 'echo: [switchboard task', 20_000);
    expect(hub.hub.workers.budgets.runningCount).toBe(1);
    server.deleteFromOutside(podName(task.toSession));
    await waitUntil(() => taskTitled(hub.hub, 'victim')?.status === 'failed', 20_000, 'the task to fail');
    expect(taskTitled(hub.hub, 'victim')!.result!.summary).toContain('was deleted from outside the hub');
    await expectNothingLeft(server, [task.toSession]);
    expect(hub.hub.workers.budgets.runningCount).toBe(0);
  }, 60_000);

  it("the tree's deadline ends its pod and fails the task; budgets count pods with a clear refusal", async () => {
    const server = await standIn();
    const { hub, client } = await podHub(
      server,
      {},
      { budgets: { deadlineSeconds: 3, concurrentWorkers: 1 } },
    );
    const repo = directory('switchboard-kube-repo-');
    const task = await hub.hub.router.spawnWorker(owner, {
      instructions: 'SLEEP 60000',
      title: 'slow',
      repo,
      runtime: 'kubernetes',
    });
    const pod = server.pods.get(`switchboard/${podName(task.toSession)}`)!;
    expect(pod.spec.activeDeadlineSeconds).toBeLessThanOrEqual(3);
    const refused = (await client
      .createSession({ cwd: repo, kubernetes: {} })
      .catch((error: unknown) => error)) as Error;
    expect(refused).toMatchObject({ code: 'budget_exceeded' });
    expect(refused.message).toContain('concurrentWorkers = 1');
    await waitUntil(() => taskTitled(hub.hub, 'slow')?.status === 'failed', 20_000, 'the deadline');
    expect(taskTitled(hub.hub, 'slow')!.result!.summary).toMatch(/deadline/i);
    await expectNothingLeft(server, [task.toSession]);
    expect(hub.hub.workers.budgets.runningCount).toBe(0);
  }, 60_000);
});
