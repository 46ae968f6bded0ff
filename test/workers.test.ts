// Ring 6: Docker workers on a real dockerd, from an image built offline through src-worker/Dockerfile. The
// worker runs the fake agent (mounted read-only from this checkout); containers use the host network and
// reach the hub only on 127.0.0.1. Workers that spawn workers, attach, cancel, budgets, a worker killed
// from outside, and a hub restart that re-adopts a running worker.
import { execFile } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TaskInfo } from '../src-protocol/index.js';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import type { WorkerSettingsInput } from '../src-hub/workers/config.js';
import { LABEL, readHubId } from '../src-hub/workers/labels.js';
import {
  containersOf,
  dockerOrReason,
  ensureTestImages,
  processesMentioning,
  REPO_ROOT,
  TEST_WORKER,
} from './docker/testImages.js';
import {
  fixture,
  mcpClient,
  startTestHub,
  terminalView,
  waitForScreen,
  waitUntil,
  type TestHub,
} from './helpers.js';

const run = promisify(execFile);
const available = await dockerOrReason();
const docker = 'docker' in available ? available.docker : undefined;

const call = (tool: string, args: unknown) => `CALL ${tool} ${JSON.stringify(args)}`;
const owner = { session: null, name: 'owner' } as const;

/** Workers run the fake agent from this checkout, mounted read-only at the same path. */
const fakeWorkers = (extra: WorkerSettingsInput = {}): WorkerSettingsInput => ({
  image: TEST_WORKER,
  command: 'node',
  args: [fixture('fake-claude.mjs')],
  mounts: [{ source: REPO_ROOT, target: REPO_ROOT, readOnly: true }],
  ...extra,
});

const hubs: TestHub[] = [];
const directories: string[] = [];
/** Hubs (by id) whose containers the safety net removes after each test, whatever happened in it. */
const hubIds = new Set<string>();

// A long grace: these tests keep tasks open across idle workers (an unreported close would end them).
const claude = { unreportedGraceSeconds: 600 };

async function workerHub(workers: WorkerSettingsInput = {}) {
  const hub = await startTestHub({ claude, workers: fakeWorkers(workers) });
  hubs.push(hub);
  hubIds.add(readHubId(hub.stateDir)!);
  return { hub, client: await hub.client(), hubId: readHubId(hub.stateDir)! };
}

/**
 * A repository owned by a non-root user, as a developer's is (the tests run as root, and mkdtemp makes
 * 0700 directories): a hub running as root then runs the worker as that owner, who may write it.
 */
function repository(): string {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-worker-repo-'));
  chmodSync(directory, 0o755);
  chownSync(directory, 10001, 10001);
  directories.push(directory);
  return directory;
}

const taskTitled = (hub: Hub, title: string): TaskInfo | undefined =>
  hub.router.list(owner).find((task) => task.title === title);

async function stopWorkers(hub: Hub): Promise<void> {
  await Promise.all(
    hub.registry
      .list()
      .filter((session) => !session.isEnded)
      .map((session) => session.kill()),
  );
}

afterEach(async () => {
  for (const hub of hubs.splice(0)) {
    await stopWorkers(hub.hub);
    await hub.close();
  }
  // A safety net only: the tests assert that nothing was left before this runs.
  for (const id of hubIds) {
    for (const container of docker ? await containersOf(docker, id) : [])
      await docker!.getContainer(container.Id).remove({ force: true });
    hubIds.delete(id);
  }
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe.skipIf(!docker)('Docker workers (ring 6)', () => {
  beforeAll(() => ensureTestImages(docker!), 300_000);

  it('a worker spawns a child worker; the child reports; the parent gets it; attach; cancel stops both', async () => {
    const { hub, client, hubId } = await workerHub();
    const repo = repository();
    const mcp = await mcpClient(hub.url, hub.hub.ownerToken);
    const child = call('report_result', { status: 'done', summary: 'child says hi' });
    const parentInstructions = call('spawn_worker', { instructions: child, title: 'child', wait_s: 60 });
    const spawned = await mcp.callTool({
      name: 'spawn_worker',
      arguments: { instructions: parentInstructions, title: 'parent', repo },
    });
    await mcp.close();
    const { task_id: parentTask, session_id: parentId } = spawned.structuredContent as {
      task_id: string;
      session_id: string;
    };

    await waitUntil(() => taskTitled(hub.hub, 'child')?.status === 'done', 60_000, 'the child to report');
    const childTask = taskTitled(hub.hub, 'child')!;
    expect(childTask).toMatchObject({ fromSession: parentId, parentId: parentTask });
    expect(childTask.result).toMatchObject({ status: 'done', summary: 'child says hi' });
    // The parent's spawn_worker call (wait_s) returned the child's result to it.
    await waitForScreen(client, parentId, 'child says hi', 30_000);

    const childId = childTask.toSession;
    const containers = await containersOf(docker!, hubId);
    expect(containers.filter((container) => container.State === 'running')).toHaveLength(2);
    const childLabels = containers.find((container) => container.Labels[LABEL.session] === childId)!.Labels;
    expect(childLabels).toMatchObject({
      [LABEL.parent]: parentId,
      [LABEL.task]: childTask.id,
      [LABEL.root]: parentId,
      [LABEL.depth]: '2',
    });
    expect(hub.hub.registry.resolve(childId).info().worker).toMatchObject({
      parent: parentId,
      depth: 2,
      repo,
    });

    // Another client attaches to the child's terminal (over WebSocket, as the CLI does) and sees its screen.
    await waitForScreen(client, childId, 'RESULT report_result', 10_000);
    const viewer = await hub.client({ autoAck: false });
    const view = terminalView(viewer, childId);
    await viewer.attach(childId, 'observe');
    expect((await view.text()).join('\n')).toContain('RESULT report_result');
    const screen = await run(
      process.execPath,
      [join(REPO_ROOT, 'bin/switchboard'), 'screen', childId.slice(0, 8)],
      {
        env: { ...process.env, SWITCHBOARD_URL: hub.url, SWITCHBOARD_TOKEN: hub.hub.ownerToken },
      },
    );
    expect(screen.stdout).toContain('fake claude ready');

    // Cancelling the parent's task stops the parent's container, and with it the child's.
    const cancelled = await hub.hub.router.cancel(owner, parentTask);
    expect(cancelled.status).toBe('cancelled');
    await waitUntil(
      () => [parentId, childId].every((id) => hub.hub.registry.resolve(id).isEnded),
      20_000,
      'both workers to stop',
    );
    await expect.poll(() => containersOf(docker!, hubId), { timeout: 10_000 }).toHaveLength(0);
    expect(processesMentioning(parentId)).toEqual([]);
    expect(processesMentioning(childId)).toEqual([]);
  }, 120_000);

  it('switchboard new --docker starts a worker; worker ls lists it; kill ends it and removes the container', async () => {
    const { hub, client, hubId } = await workerHub();
    const repo = repository();
    const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_HOME: hub.stateDir };
    delete env.SWITCHBOARD_URL;
    delete env.SWITCHBOARD_TOKEN;
    const cli = (...args: string[]) =>
      run(process.execPath, [join(REPO_ROOT, 'bin/switchboard'), ...args], { env });
    const created = JSON.parse(
      (await cli('new', '--docker', '--cwd', repo, '--prompt', 'hello from the cli', '--json')).stdout,
    ) as { id: string; name: string; worker: { container: string; depth: number } };
    expect(created.worker).toMatchObject({ depth: 1 });
    await waitForScreen(client, created.id, 'echo: hello from the cli', 20_000);
    const listed = JSON.parse((await cli('worker', 'ls', '--json')).stdout) as Array<{
      session: string;
      ours: boolean;
    }>;
    expect(listed).toContainEqual(expect.objectContaining({ session: created.id, ours: true }));
    expect((await cli('ls')).stdout).toContain(`worker (${TEST_WORKER}, depth 1)`);
    await cli('kill', created.name);
    await expect.poll(() => containersOf(docker!, hubId), { timeout: 10_000 }).toHaveLength(0);
  }, 60_000);

  it('refuses spawns past a budget with a tool error that names the limit and how to raise it', async () => {
    const { hub, client } = await workerHub({
      budgets: { maxDepth: 2, workersPerTree: 2, concurrentWorkers: 2 },
    });
    const repo = repository();
    const tooDeep = [
      call('spawn_worker', { instructions: 'grandchild', title: 'grandchild' }),
      call('report_result', { status: 'blocked', summary: 'depth refused' }),
    ].join('\n');
    const root = await client.createSession({
      cwd: repo,
      docker: {},
      prompt: [
        call('spawn_worker', { instructions: tooDeep, title: 'child-a', wait_s: 60 }),
        call('spawn_worker', { instructions: 'child b', title: 'child-b' }),
      ].join('\n'),
    });
    await waitUntil(() => taskTitled(hub.hub, 'child-a')?.status === 'blocked', 60_000, 'child-a to report');
    const childA = taskTitled(hub.hub, 'child-a')!.toSession;
    // Depth: the child (depth 2) may not start a grandchild.
    await waitForScreen(client, childA, 'budget_exceeded: Worker budget maxDepth = 2 reached', 10_000);
    expect((await client.screen(childA)).lines.join('')).toContain('SWITCHBOARD_WORKER_MAX_DEPTH');
    // Workers per tree: the root and child-a are the tree's two.
    await waitForScreen(client, root.id, 'budget_exceeded: Worker budget workersPerTree = 2 reached', 20_000);
    expect(taskTitled(hub.hub, 'child-b')).toBeUndefined();
    // Running at once: two are running, a third (a new tree) is refused.
    const refused = (await client
      .createSession({ cwd: repo, docker: {} })
      .catch((error: unknown) => error)) as Error;
    expect(refused).toMatchObject({ code: 'budget_exceeded' });
    expect(refused.message).toContain('concurrentWorkers = 2');
    expect(refused.message).toContain('SWITCHBOARD_WORKER_MAX_CONCURRENT');
  }, 90_000);

  it('a worker that delegates to a new session gets a worker: it never starts a process on the host', async () => {
    const { hub, client } = await workerHub();
    const report = call('report_result', { status: 'done', summary: 'delegated child' });
    await client.createSession({
      cwd: repository(),
      docker: {},
      prompt: call('delegate', { instructions: report, title: 'via-delegate', wait_s: 60 }),
    });
    await waitUntil(
      () => taskTitled(hub.hub, 'via-delegate')?.status === 'done',
      60_000,
      'the delegated report',
    );
    const target = hub.hub.registry.resolve(taskTitled(hub.hub, 'via-delegate')!.toSession);
    expect(target.info().worker).toMatchObject({ depth: 2 });
    expect(hub.hub.registry.list().every((session) => session.info().worker)).toBe(true);
  }, 60_000);

  it("refuses a bind-mounted repository the worker's user cannot read, and says what to change", async () => {
    const { client, hubId } = await workerHub();
    const secret = repository();
    chmodSync(secret, 0o700);
    chownSync(secret, 0, 0); // root's and private: the worker's user cannot even read it
    const refused = (await client
      .createSession({ cwd: secret, docker: {} })
      .catch((error: unknown) => error)) as Error;
    expect(refused).toMatchObject({ code: 'not_allowed' });
    expect(refused.message).toContain('SWITCHBOARD_WORKER_WORKSPACE=copy');
    expect(await containersOf(docker!, hubId)).toHaveLength(0);
  });

  it("a child runs its parent's image when the hub's default is not built (issue 16: image_not_found)", async () => {
    const alternate = 'switchboard-test-worker-alt:latest';
    await docker!.getImage(TEST_WORKER).tag({ repo: 'switchboard-test-worker-alt', tag: 'latest' });
    const { hub, hubId } = await workerHub({ image: 'switchboard-test-not-built:none' });
    try {
      const repo = repository();
      const mcp = await mcpClient(hub.url, hub.hub.ownerToken);
      const child = call('report_result', { status: 'done', summary: 'child on the parent image' });
      await mcp.callTool({
        name: 'spawn_worker',
        arguments: {
          instructions: call('spawn_worker', { instructions: child, title: 'child', wait_s: 60 }),
          title: 'parent',
          repo,
          image: alternate,
        },
      });
      await mcp.close();
      await waitUntil(() => taskTitled(hub.hub, 'child')?.status === 'done', 60_000, 'the child to report');
      const images = (await containersOf(docker!, hubId)).map((container) => container.Image);
      expect(images).toEqual([alternate, alternate]);
    } finally {
      await stopWorkers(hub.hub);
      for (const container of await containersOf(docker!, hubId))
        await docker!.getContainer(container.Id).remove({ force: true });
      await docker!.getImage(alternate).remove();
    }
  });

  it('refuses a root-owned repository the worker could not write, before any container (issue 16)', async () => {
    const { client, hubId } = await workerHub();
    const rootOwned = repository();
    chownSync(rootOwned, 0, 0); // 0755, root's: the worker (uid 10001) could read it but never write
    const refused = (await client
      .createSession({ cwd: rootOwned, docker: {} })
      .catch((error: unknown) => error)) as Error;
    expect(refused).toMatchObject({ code: 'not_allowed' });
    expect(refused.message).toContain('cannot write to');
    expect(refused.message).toContain('SWITCHBOARD_WORKER_WORKSPACE=copy');
    expect(await containersOf(docker!, hubId)).toHaveLength(0);
  });

  it('stops a tree at its deadline and fails its task with the deadline as the reason', async () => {
    const { hub, hubId } = await workerHub({ budgets: { deadlineSeconds: 3 } });
    const task = await hub.hub.router.spawnWorker(owner, {
      instructions: 'SLEEP 60000',
      title: 'slow',
      repo: repository(),
    });
    expect(task.status).toBe('queued'); // typed at the worker's first idle prompt
    await waitUntil(() => taskTitled(hub.hub, 'slow')?.status === 'failed', 20_000, 'the deadline');
    expect(taskTitled(hub.hub, 'slow')!.result!.summary).toMatch(
      /deadline passed.*SWITCHBOARD_WORKER_DEADLINE_S/,
    );
    await expect.poll(() => containersOf(docker!, hubId), { timeout: 10_000 }).toHaveLength(0);
  }, 60_000);

  it('fails the task of a worker killed from outside (docker kill) with a clear reason', async () => {
    const { hub, client, hubId } = await workerHub();
    const task = await hub.hub.router.spawnWorker(owner, {
      instructions: 'hello',
      title: 'victim',
      repo: repository(),
    });
    // The fake agent echoes a prompt's first line when the turn is over.
    await waitForScreen(client, task.toSession, 'echo: [switchboard task', 20_000);
    const [container] = await containersOf(docker!, hubId);
    await docker!.getContainer(container!.Id).kill({ signal: 'SIGKILL' });
    await waitUntil(() => taskTitled(hub.hub, 'victim')?.status === 'failed', 20_000, 'the task to fail');
    const summary = taskTitled(hub.hub, 'victim')!.result!.summary;
    expect(summary).toContain('exit status 137');
    expect(summary).toContain('SIGKILL from outside Switchboard');
    await expect.poll(() => containersOf(docker!, hubId), { timeout: 10_000 }).toHaveLength(0);
  }, 60_000);

  it('re-adopts a running worker when the hub restarts: screen, input and its token work again', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-restart-'));
    directories.push(stateDir);
    const ports = { stateDir, claude, workers: fakeWorkers() };
    const first = createHub({ ...ports, logger: memoryLogger() });
    hubIds.add(readHubId(stateDir)!);
    const url = await first.listen({ port: 0 });
    const port = Number(new URL(url).port);
    let task: TaskInfo;
    try {
      task = await first.router.spawnWorker(owner, {
        instructions: 'before the restart',
        title: 'survivor',
        repo: repository(),
      });
      const firstClient = await first.connect();
      await waitForScreen(firstClient, task.toSession, 'echo: [switchboard task', 20_000);
      firstClient.close();
    } finally {
      await first.close();
    }
    const hubId = readHubId(stateDir)!;
    expect((await containersOf(docker!, hubId)).map((container) => container.State)).toEqual(['running']);

    const second = createHub({ ...ports, logger: memoryLogger() });
    try {
      await second.listen({ port });
      const adopted = second.registry.resolve(task.toSession);
      expect(adopted.status).toBe('unknown');
      expect(adopted.info().worker).toMatchObject({ task: task.id });
      const client = await second.connect();
      // The terminal came back whole from the screen the hub saved, its last line (the prompt, with no
      // newline after it) too: Docker's log, replayed before, kept output only up to a newline (issue 16).
      await waitForScreen(client, task.toSession, 'before the restart', 10_000);
      const lines = (await client.screen(task.toSession)).lines.map((line) => line.trim());
      const echoed = lines.findLastIndex((line) => line.includes('before the restart'));
      expect(lines.slice(echoed + 1)).toContain('>');
      // Typing reaches the container, and its MCP call with the old token is accepted by the new hub.
      await client.input(
        task.toSession,
        `${call('report_result', { status: 'done', summary: 'after the restart' })}\r`,
      );
      await waitUntil(
        () => second.router.list(owner).find((open) => open.id === task.id)?.status === 'done',
        20_000,
        'the report',
      );
      await adopted.kill();
      await expect.poll(() => containersOf(docker!, hubId), { timeout: 10_000 }).toHaveLength(0);
      client.close();
    } finally {
      await stopWorkers(second);
      await second.close();
    }
  }, 90_000);
});

describe.skipIf(docker)('Docker workers (ring 6) without a Docker daemon', () => {
  it('says why they did not run', () => {
    expect('reason' in available && available.reason).toMatch(/Docker tests cannot run/);
  });
});
