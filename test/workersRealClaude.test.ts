// Rings 3 and 6 together: the pinned Claude Code (2.1.331, this checkout's binary mounted read-only) inside
// worker containers, against the scripted model server on 127.0.0.1 (host network). The worker's Claude
// calls spawn_worker; the child worker's Claude calls report_result; the parent's tool call gets the result.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, SessionStatus, TaskInfo } from '../src-protocol/index.js';
import { readHubId } from '../src-hub/workers/labels.js';
import {
  CLAUDE_BINARY,
  containersOf,
  dockerOrReason,
  ensureTestImages,
  TEST_WORKER,
} from './docker/testImages.js';
import { startTestHub, waitUntil, type TestHub } from './helpers.js';
import { startModelServer } from './modelServer.js';

const available = await dockerOrReason();
const docker = 'docker' in available ? available.docker : undefined;
const API_KEY = 'sk-ant-scripted-0123456789abcdefghij';
const owner = { session: null, name: 'owner' } as const;

describe.skipIf(!docker)('real Claude Code in Docker workers', () => {
  let repo: string;
  let model: Awaited<ReturnType<typeof startModelServer>>;
  let hub: TestHub;
  let client: HubClient;
  const trails = new Map<string, SessionStatus[]>();

  beforeAll(async () => {
    await ensureTestImages(docker!);
    repo = mkdtempSync(join(tmpdir(), 'switchboard-ring6-claude-'));
    model = await startModelServer([
      (prompt) =>
        prompt.includes('SPAWN_CHILD')
          ? {
              tool: 'mcp__switchboard__spawn_worker',
              input: { instructions: 'CHILD_JOB: report back.', title: 'ring6-claude', wait_s: 120 },
            }
          : undefined,
      (prompt) =>
        prompt.includes('CHILD_JOB')
          ? {
              tool: 'mcp__switchboard__report_result',
              input: { status: 'done', summary: 'child report from a container' },
            }
          : undefined,
    ]);
    hub = await startTestHub({
      workers: {
        image: TEST_WORKER,
        // The image's base has no Claude Code (no registry here): the pinned binary is mounted on PATH.
        mounts: [{ source: CLAUDE_BINARY, target: '/usr/local/bin/claude', readOnly: true }],
        env: {
          ANTHROPIC_BASE_URL: model.url,
          ANTHROPIC_API_KEY: API_KEY,
          CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
          DISABLE_AUTOUPDATER: '1',
        },
        permissionMode: 'manual',
        // A copy owned by the container's user: the hub runs as root here and the repository is root's.
        workspace: 'copy',
      },
    });
    client = await hub.client();
    client.onMessage((message) => {
      if (message.type !== 'session.event') return;
      const trail = trails.get(message.session.id) ?? [];
      if (trail.at(-1) !== message.session.status) trail.push(message.session.status);
      trails.set(message.session.id, trail);
    });
  }, 300_000);

  afterAll(async () => {
    if (!hub) return;
    const id = readHubId(hub.stateDir)!;
    await Promise.all(hub.hub.registry.list().map((session) => session.kill()));
    await hub.close();
    await model?.close();
    rmSync(repo, { recursive: true, force: true });
    for (const container of await containersOf(docker!, id))
      await docker!.getContainer(container.Id).remove({ force: true });
  });

  it("the worker's Claude spawns a worker whose Claude reports; the result returns to the first", async () => {
    const parent = await client.createSession({ cwd: repo, docker: {}, prompt: 'SPAWN_CHILD' });
    let task: TaskInfo | undefined;
    await waitUntil(
      () =>
        (task = hub.hub.router.list(owner).find((found) => found.title === 'ring6-claude'))?.status ===
        'done',
      120_000,
      'the child worker to report',
    ).catch(async (error: unknown) => {
      // Say what each worker shows: this has failed only under a full run's load.
      const lines: string[] = [String(error)];
      for (const session of hub.hub.registry.list()) {
        const screen = await client.screen(session.id).catch(() => undefined);
        lines.push(
          `${session.id} ${session.status} trail=${JSON.stringify(trails.get(session.id))}:`,
          ...(screen?.lines.filter((line) => line.trim() !== '') ?? ['(no screen)']),
        );
      }
      lines.push(
        `tasks: ${JSON.stringify(hub.hub.router.list(owner).map((found) => [found.title, found.status]))}`,
      );
      throw new Error(lines.join('\n'));
    });
    expect(task!.result).toMatchObject({ status: 'done', summary: 'child report from a container' });
    expect(task!.fromSession).toBe(parent.id);
    const child = hub.hub.registry.resolve(task!.toSession);
    expect(child.info().worker).toMatchObject({ parent: parent.id, depth: 2, repo });
    // The parent's spawn_worker call (wait_s) returned the child's summary to its model.
    await waitUntil(
      () =>
        model.requests.some(
          (request) =>
            request.session === parent.id &&
            request.toolResult?.includes('child report from a container') === true,
        ),
      60_000,
      "the parent's tool result",
    );
    // Status came from the real hooks, posted from inside the containers to the hub on 127.0.0.1.
    await waitUntil(
      () => trails.get(parent.id)?.at(-1) === 'idle' && trails.get(child.id)?.at(-1) === 'idle',
      60_000,
      'both idle',
    );
    for (const id of [parent.id, child.id])
      expect(trails.get(id)).toEqual(expect.arrayContaining(['working', 'idle']));
  }, 240_000);
});
