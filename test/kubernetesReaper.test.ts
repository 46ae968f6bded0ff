// Pods of a hub that is gone are reaped (issue 15): every hub renews a Lease in the workers' namespace; a
// live hub deletes the pods (and Secrets) of another hub whose Lease went unrenewed for longer than the
// grace, and never those of a hub that still renews, against the stand-in API server.
import { afterEach, describe, expect, it } from 'vitest';
import { leaseName } from '../src-hub/kube/reaper.js';
import { LABEL } from '../src-hub/workers/labels.js';
import { cleanUp, closeHub, directory, podHub, standIn } from './kube/harness.js';
import { mcpClient, waitForScreen } from './helpers.js';
import { processesMentioning } from './docker/testImages.js';

afterEach(cleanUp);

async function spawnPod(hub: Awaited<ReturnType<typeof podHub>>['hub'], title: string) {
  const mcp = await mcpClient(hub.url, hub.hub.ownerToken);
  const spawned = await mcp.callTool({
    name: 'spawn_worker',
    arguments: {
      instructions: `hello from ${title}`,
      title,
      repo: directory('switchboard-kube-reap-'),
      runtime: 'kubernetes',
    },
  });
  await mcp.close();
  expect(spawned.isError, JSON.stringify(spawned.content)).toBeFalsy();
  return (spawned.structuredContent as { session_id: string }).session_id;
}

describe('pods of a hub that is gone', () => {
  it('are deleted with their Secrets once its Lease is older than the grace; a live hub keeps its pods', async () => {
    const server = await standIn();
    const grace = { goneHubGraceSeconds: 5 }; // renewed every 5/3 s: slack for a loaded machine
    const gone = await podHub(server, grace);
    const live = await podHub(server, grace);
    const goneSession = await spawnPod(gone.hub, 'gone');
    const liveSession = await spawnPod(live.hub, 'live');
    await waitForScreen(gone.client, goneSession, 'echo: [switchboard task', 20_000);
    await waitForScreen(live.client, liveSession, 'echo: [switchboard task', 20_000);
    const hubOf = (session: string) =>
      [...server.pods.values()].find((pod) => pod.metadata.labels?.[LABEL.session] === session)?.metadata
        .labels?.[LABEL.hub];
    const goneHub = hubOf(goneSession)!;
    const liveHub = hubOf(liveSession)!;
    expect(goneHub).not.toBe(liveHub);
    expect(server.leases.items.get(`switchboard/${leaseName(goneHub)}`)?.spec?.holderIdentity).toBe(goneHub);

    // Both hubs renew: more than a grace later both pods still run.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(server.pods.size).toBe(2);
    expect(live.hub.logger.events.filter((e) => e.event === 'worker.reaped')).toEqual([]);

    // One hub stops (its pod is left running for it) and does not come back: the other reaps its pod.
    await closeHub(gone.hub);
    expect(hubOf(goneSession)).toBe(goneHub);
    await expect.poll(() => hubOf(goneSession), { timeout: 20_000 }).toBeUndefined();
    await expect
      .poll(() => [...server.secrets.values()].map((s) => s.metadata.labels?.[LABEL.session]))
      .toEqual([liveSession]);
    await expect
      .poll(() => server.leases.items.has(`switchboard/${leaseName(goneHub)}`), { timeout: 5_000 })
      .toBe(false);
    expect(live.hub.logger.events.filter((e) => e.event === 'worker.reaped')).toEqual([
      expect.objectContaining({ hub: goneHub, session: goneSession }),
    ]);
    await expect.poll(() => processesMentioning(goneSession), { timeout: 5_000 }).toEqual([]);
    // The live hub's own pod and session are untouched.
    expect(hubOf(liveSession)).toBe(liveHub);
    expect(live.hub.hub.registry.resolve(liveSession).isEnded).toBe(false);
  }, 90_000);
});
