// The Kubernetes tests' fixtures: a stand-in API server whose one image runs the worker agent
// (dist/src-worker/agent.js, `npm run build`), a hub pointed at it, and the check that nothing is left.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect } from 'vitest';
import type { TaskInfo } from '../../src-protocol/index.js';
import type { Hub, HubPorts } from '../../src-hub/index.js';
import type { KubeSettingsInput } from '../../src-hub/kube/settings.js';
import type { WorkerSettingsInput } from '../../src-hub/workers/config.js';
import { processesMentioning } from '../docker/testImages.js';
import { fixture, startTestHub, type TestHub } from '../helpers.js';
import { StandInApiServer } from './apiServer.js';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const IMAGE = 'switchboard-worker:latest';
const AGENT = join(REPO_ROOT, 'dist/src-worker/agent.js');
export const call = (tool: string, args: unknown) => `CALL ${tool} ${JSON.stringify(args)}`;
export const owner = { session: null, name: 'owner' } as const;

const hubs: TestHub[] = [];
const servers: StandInApiServer[] = [];
const directories: string[] = [];

export function directory(prefix: string): string {
  const path = mkdtempSync(join(tmpdir(), prefix));
  directories.push(path);
  return path;
}

export async function standIn(): Promise<StandInApiServer> {
  const server = await new StandInApiServer({ images: { [IMAGE]: [process.execPath, AGENT] } }).listen();
  servers.push(server);
  return server;
}

/** A hub's ports for Kubernetes workers on `server` (none: no kubeconfig at all). */
export function podPorts(
  server: StandInApiServer | undefined,
  kube: KubeSettingsInput = {},
  workers: WorkerSettingsInput = {},
): Partial<HubPorts> {
  const config = directory('switchboard-kubeconfig-');
  return {
    claude: { unreportedGraceSeconds: 600 },
    workers: { command: 'node', args: [fixture('fake-claude.mjs')], runtime: 'kubernetes', ...workers },
    kubernetes: {
      ...(server ? { kubeconfig: server.kubeconfig(join(config, 'config')) } : {}),
      pollIntervalMs: 50,
      startTimeoutSeconds: 10,
      ...kube,
    },
    // No kubeconfig in the test's own environment leaks in (KUBECONFIG, ~/.kube/config).
    env: { ...process.env, KUBECONFIG: '', HOME: config },
  };
}

export async function podHub(
  server: StandInApiServer | undefined,
  kube: KubeSettingsInput = {},
  workers: WorkerSettingsInput = {},
) {
  const hub = await startTestHub(podPorts(server, kube, workers));
  hubs.push(hub);
  return { hub, client: await hub.client() };
}

export const taskTitled = (hub: Hub, title: string): TaskInfo | undefined =>
  hub.router.list(owner).find((task) => task.title === title);

/** Nothing of the hub's left in the cluster: no pod, no secret, no process. */
export async function expectNothingLeft(server: StandInApiServer, sessions: string[]): Promise<void> {
  await expect.poll(() => server.pods.size, { timeout: 10_000 }).toBe(0);
  expect(server.secrets.size).toBe(0);
  for (const id of sessions) await expect.poll(() => processesMentioning(id), { timeout: 5_000 }).toEqual([]);
}

/** Closes a hub before the test ends (its pods are left running, as a stopping hub leaves them). */
export async function closeHub(hub: TestHub): Promise<void> {
  hubs.splice(hubs.indexOf(hub), 1);
  await hub.close();
}

/** After each test: workers killed, hubs closed, stand-ins closed, directories removed. */
export async function cleanUp(): Promise<void> {
  for (const hub of hubs.splice(0)) {
    await Promise.all(
      hub.hub.registry
        .list()
        .filter((s) => !s.isEnded)
        .map((s) => s.kill()),
    );
    await hub.close();
  }
  for (const server of servers.splice(0)) await server.close();
  for (const path of directories.splice(0)) rmSync(path, { recursive: true, force: true });
}
