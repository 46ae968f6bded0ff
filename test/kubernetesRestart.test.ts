// Kubernetes workers across a hub restart (issue 15), against the stand-in API server: the stopping hub
// lets go of its pods (they keep running), the next hub on the same state directory and port finds them by
// its label, attaches again and adopts them as sessions — screen, input and the worker's token work — and
// a pod that ended while the hub was down closes its task and is deleted with its Secret.
import { afterEach, describe, expect, it } from 'vitest';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import { podName } from '../src-hub/kube/manifests.js';
import { call, cleanUp, directory, expectNothingLeft, owner, podPorts, standIn } from './kube/harness.js';
import { waitForScreen, waitUntil } from './helpers.js';

afterEach(cleanUp);

const stopAll = async (hub: Hub) => {
  await Promise.all(
    hub.registry
      .list()
      .filter((session) => !session.isEnded)
      .map((session) => session.kill()),
  );
  await hub.close();
};

describe('Kubernetes workers across a hub restart', () => {
  it('re-adopts running pods by label; a pod that ended meanwhile fails its task and is deleted', async () => {
    const server = await standIn();
    const stateDir = directory('switchboard-kube-restart-');
    const ports = { ...podPorts(server), stateDir };
    const first = createHub({ ...ports, logger: memoryLogger() });
    const url = await first.listen({ port: 0 });
    let survivor: string;
    let lost: string;
    let survivorTask: string;
    try {
      const client = await first.connect();
      const a = await first.router.spawnWorker(owner, {
        instructions: 'before the restart',
        title: 'survivor',
        repo: stateDir,
      });
      const b = await first.router.spawnWorker(owner, {
        instructions: 'doomed',
        title: 'lost',
        repo: stateDir,
      });
      survivor = a.toSession;
      survivorTask = a.id;
      lost = b.toSession;
      await waitForScreen(client, survivor, 'echo: [switchboard task', 20_000);
      await waitForScreen(client, lost, 'echo: [switchboard task', 20_000);
      client.close();
    } finally {
      await first.close();
    }
    // The hub let go: both pods still run in the "cluster", their Secrets with them.
    expect([...server.pods.values()].map((pod) => pod.status.phase)).toEqual(['Running', 'Running']);
    expect(server.secrets.size).toBe(2);
    // One of them ends while no hub runs: its container is killed, the pod stays (Failed).
    server.killContainer(podName(lost));
    await expect
      .poll(() => server.pods.get(`switchboard/${podName(lost)}`)?.status.phase, { timeout: 5_000 })
      .toBe('Failed');

    const second = createHub({ ...ports, logger: memoryLogger() });
    try {
      await second.listen({ port: Number(new URL(url).port) });
      const adopted = second.registry.resolve(survivor);
      expect(adopted.info().worker).toMatchObject({ runtime: 'kubernetes', task: survivorTask });
      const lostTask = second.router.list(owner).find((task) => task.title === 'lost');
      expect(lostTask?.status).toBe('failed');
      expect(lostTask?.result?.summary).toContain('exited with status 137');
      expect(server.pods.has(`switchboard/${podName(lost)}`)).toBe(false);
      const client = await second.connect();
      await waitForScreen(client, survivor, 'before the restart', 10_000);
      // Typing reaches the pod through a new attach, and its MCP call with the old token is accepted.
      await client.input(
        survivor,
        `${call('report_result', { status: 'done', summary: 'after the restart' })}\r`,
      );
      await waitUntil(
        () => second.router.list(owner).find((task) => task.title === 'survivor')?.status === 'done',
        20_000,
        'the report',
      );
      expect(second.workers.budgets.runningCount).toBe(1);
      await adopted.kill();
      await expectNothingLeft(server, [survivor, lost]);
      expect(second.workers.budgets.runningCount).toBe(0);
      client.close();
    } finally {
      await stopAll(second);
    }
  }, 90_000);
});
