// Kubernetes workers (issue 15) against the stand-in API server (test/kube/apiServer.ts): the hub's real
// code path (the official client's REST calls and its attach WebSocket) onto pods that are real processes
// under real ptys — the worker agent (dist/src-worker/agent.js, `npm run build`) running the fake Claude.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { LABEL } from '../src-hub/workers/labels.js';
import { NODE_NAME } from './kube/apiServer.js';
import {
  call,
  cleanUp,
  directory,
  expectNothingLeft,
  IMAGE,
  owner,
  podHub,
  standIn,
  taskTitled,
} from './kube/harness.js';
import { mcpClient, terminalView, waitForScreen, waitUntil } from './helpers.js';

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, '..');

afterEach(cleanUp);

describe('Kubernetes workers against the stand-in API server', () => {
  it('a pod worker spawns a pod child; the child reports; attach and co-drive; cancel deletes both pods and secrets', async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server);
    const repo = directory('switchboard-kube-repo-');
    const mcp = await mcpClient(hub.url, hub.hub.ownerToken);
    const child = call('report_result', { status: 'done', summary: 'child pod says hi' });
    const parentInstructions = call('spawn_worker', { instructions: child, title: 'child', wait_s: 60 });
    const spawned = await mcp.callTool({
      name: 'spawn_worker',
      arguments: { instructions: parentInstructions, title: 'parent', repo, runtime: 'kubernetes' },
    });
    await mcp.close();
    expect(spawned.isError, JSON.stringify(spawned.content)).toBeFalsy();
    const { task_id: parentTask, session_id: parentId } = spawned.structuredContent as {
      task_id: string;
      session_id: string;
    };
    await waitUntil(() => taskTitled(hub.hub, 'child')?.status === 'done', 60_000, 'the child to report');
    const childTask = taskTitled(hub.hub, 'child')!;
    expect(childTask.result).toMatchObject({ status: 'done', summary: 'child pod says hi' });
    await waitForScreen(client, parentId, 'child pod says hi', 30_000);
    const childId = childTask.toSession;

    // Two pods, labelled with hub, session, tree and parent; the token only in a Secret the pod refers to.
    const pods = [...server.pods.values()];
    expect(pods).toHaveLength(2);
    const childPod = pods.find((pod) => pod.metadata.labels?.[LABEL.session] === childId)!;
    expect(childPod.metadata.labels).toMatchObject({
      [LABEL.parent]: parentId,
      [LABEL.root]: parentId,
      [LABEL.task]: childTask.id,
    });
    expect(childPod.metadata.annotations).toMatchObject({ [LABEL.depth]: '2' });
    expect(childPod.spec).toMatchObject({
      restartPolicy: 'Never',
      containers: [{ tty: true, stdin: true, image: IMAGE }],
    });
    expect(childPod.spec.activeDeadlineSeconds).toBeGreaterThan(3000);
    const text = JSON.stringify(childPod);
    const tokenRef = childPod.spec.containers[0]?.env?.find(
      (variable) => variable.name === 'SWITCHBOARD_SESSION_TOKEN',
    )?.valueFrom?.secretKeyRef;
    expect(tokenRef?.key).toBe('SWITCHBOARD_SESSION_TOKEN');
    const secret = server.secrets.get(`switchboard/${tokenRef?.name}`)!;
    const token = Buffer.from(secret.data?.SWITCHBOARD_SESSION_TOKEN ?? '', 'base64').toString();
    expect(token.length).toBeGreaterThan(20);
    expect(text).not.toContain(token);
    expect(secret.metadata.ownerReferences?.[0]).toMatchObject({ kind: 'Pod', uid: childPod.metadata.uid });
    expect(hub.hub.registry.resolve(childId).info().worker).toMatchObject({
      runtime: 'kubernetes',
      node: NODE_NAME,
      phase: 'Running',
      parent: parentId,
      depth: 2,
    });

    // Another client observes the child's terminal (snapshot on late join), then co-drives it.
    const viewer = await hub.client({ autoAck: false });
    const view = terminalView(viewer, childId);
    await viewer.attach(childId, 'observe');
    expect((await view.text()).join('\n')).toContain('fake claude ready');
    await client.attach(childId, 'drive');
    await client.input(childId, 'typed through the API server\r');
    await waitForScreen(client, childId, 'echo: typed through the API server', 15_000);
    // A resize reaches the pod's pty through the attach's resize channel.
    await client.resize(childId, 100, 30);
    const childKey = `switchboard/${childPod.metadata.name}`;
    await expect
      .poll(() => server.containerSize(childKey), { timeout: 5_000 })
      .toEqual({ cols: 100, rows: 30 });
    expect(server.requests.filter((r) => r.startsWith('UPGRADE') && r.endsWith('/attach'))).toHaveLength(2);

    expect((await hub.hub.router.cancel(owner, parentTask)).status).toBe('cancelled');
    await waitUntil(
      () => [parentId, childId].every((id) => hub.hub.registry.resolve(id).isEnded),
      20_000,
      'both pods to end',
    );
    await expectNothingLeft(server, [parentId, childId]);
  }, 120_000);

  it('switchboard new --worker kubernetes starts a pod; ls and worker ls show runtime, node and phase; kill deletes it', async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server);
    const kubeconfig = server.kubeconfig(join(directory('switchboard-cli-kube-'), 'config'));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SWITCHBOARD_HOME: hub.stateDir,
      SWITCHBOARD_KUBE_CONFIG: kubeconfig,
    };
    delete env.SWITCHBOARD_URL;
    delete env.SWITCHBOARD_TOKEN;
    const cli = (...args: string[]) =>
      run(process.execPath, [join(REPO_ROOT, 'bin/switchboard'), ...args], { env });
    const created = JSON.parse(
      (
        await cli(
          'new',
          '--worker',
          'kubernetes',
          '--cwd',
          directory('switchboard-kube-repo-'),
          '--prompt',
          'hello pod',
          '--json',
        )
      ).stdout,
    ) as { id: string; name: string; worker: { runtime: string; node: string } };
    expect(created.worker).toMatchObject({ runtime: 'kubernetes', node: NODE_NAME });
    await waitForScreen(client, created.id, 'echo: hello pod', 20_000);
    expect((await cli('ls')).stdout).toContain(`pod (${IMAGE}, depth 1, node ${NODE_NAME})`);
    const listed = JSON.parse((await cli('worker', 'ls', '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed).toContainEqual(
      expect.objectContaining({
        session: created.id,
        runtime: 'kubernetes',
        node: NODE_NAME,
        phase: 'Running',
        ours: true,
      }),
    );
    const wrong = await cli('new', '--worker', 'lambda').catch((error: { stderr: string }) => error);
    expect(wrong.stderr).toContain('--worker takes docker or kubernetes');
    await cli('kill', created.name);
    await expectNothingLeft(server, [created.id]);
  }, 60_000);
});
