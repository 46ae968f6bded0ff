// Kubernetes workers carry the lead's repository (issue 15): the pod's agent (the real one, run by the
// stand-in's kubelet) clones the hub's bundle of the worker's worktree branch, the fake Claude writes a
// file, the agent commits it and sends it back as a bundle that lands on the branch, and `switchboard
// merge` applies it. Bundles that are too large, not bundles, for another branch, not a fast-forward, or
// sent with a wrong token are refused with codes and change nothing.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { LABEL } from '../src-hub/workers/labels.js';
import { call, cleanUp, directory, expectNothingLeft, podHub, standIn, taskTitled } from './kube/harness.js';
import { mcpClient, waitForScreen, waitUntil } from './helpers.js';

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, '..');
const git = async (cwd: string, ...args: string[]) =>
  (await run('git', ['-C', cwd, ...args], { env: { ...process.env, LC_ALL: 'C' } })).stdout.trim();

async function leadRepository(): Promise<string> {
  const repo = directory('switchboard-kube-lead-');
  await git(repo, 'init', '--quiet', '--initial-branch=main');
  await git(repo, 'config', 'user.email', 'lead@example.test');
  await git(repo, 'config', 'user.name', 'Lead');
  writeFileSync(join(repo, 'a.txt'), 'from the lead\n');
  await git(repo, 'add', 'a.txt');
  await git(repo, 'commit', '--quiet', '-m', 'first');
  return repo;
}

afterEach(cleanUp);

describe('a Kubernetes worker with a repository', () => {
  it('clones the branch, sends its commit back onto it, and switchboard merge applies it; bad bundles change nothing', async () => {
    const server = await standIn();
    const { hub, client } = await podHub(server, { maxBundleBytes: 64 * 1024 });
    const lead = await leadRepository();
    const base = await git(lead, 'rev-parse', 'HEAD');
    const mcp = await mcpClient(hub.url, hub.hub.ownerToken);
    const spawned = await mcp.callTool({
      name: 'spawn_worker',
      arguments: {
        instructions: 'WRITE pod.txt made in the pod',
        title: 'pod work',
        repo: lead,
        runtime: 'kubernetes',
      },
    });
    // A second pod worker, in a directory that is no git repository: it carries none, and may fetch none.
    const plain = await mcp.callTool({
      name: 'spawn_worker',
      arguments: {
        instructions: 'no repo',
        title: 'plain',
        repo: directory('switchboard-kube-plain-'),
        runtime: 'kubernetes',
      },
    });
    await mcp.close();
    expect(spawned.isError, JSON.stringify(spawned.content)).toBeFalsy();
    const { task_id: taskId, session_id: id } = spawned.structuredContent as {
      task_id: string;
      session_id: string;
    };
    // The pod cloned the worktree's branch at the lead's commit before its Claude started.
    const branch = await git(lead, 'branch', '--list', 'switchboard/*', '--format=%(refname:short)');
    expect(branch).toMatch(/^switchboard\/\S+$/);
    await waitForScreen(client, id, `cloned ${branch} at ${base.slice(0, 12)}`, 30_000);
    await waitForScreen(client, id, `echo: [switchboard task ${taskId}] pod work`, 30_000);

    // The worker's own token, as its pod has it (from its Secret).
    const podOf = (session: string) =>
      [...server.pods.values()].find((each) => each.metadata.labels?.[LABEL.session] === session)!;
    const tokenOf = (session: string) => {
      const ref = podOf(session).spec.containers[0]?.env?.find((v) => v.name === 'SWITCHBOARD_SESSION_TOKEN')
        ?.valueFrom?.secretKeyRef;
      const secret = server.secrets.get(`switchboard/${ref?.name}`)!;
      return Buffer.from(secret.data?.SWITCHBOARD_SESSION_TOKEN ?? '', 'base64').toString();
    };
    expect(podOf(id).spec.containers[0]?.env).toContainEqual({
      name: 'SWITCHBOARD_REPOSITORY',
      value: 'bundle',
    });
    const token = tokenOf(id);
    const plainId = (plain.structuredContent as { session_id: string }).session_id;
    expect(JSON.stringify(podOf(plainId).spec)).not.toContain('SWITCHBOARD_REPOSITORY');
    const plainFetch = await fetch(`${hub.url}/workers/repository`, {
      headers: { authorization: `Bearer ${tokenOf(plainId)}` },
    });
    expect([plainFetch.status, ((await plainFetch.json()) as { code: string }).code]).toEqual([
      403,
      'not_allowed',
    ]);
    const send = async (body: Uint8Array, bearer = token) => {
      const response = await fetch(`${hub.url}/workers/work`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}` },
        body: new Blob([new Uint8Array(body)]),
      });
      return { status: response.status, code: ((await response.json()) as { code?: string }).code };
    };
    const unchanged = async () => {
      expect(await git(lead, 'rev-parse', `refs/heads/${branch}`)).toBe(base);
      expect(await git(lead, 'for-each-ref', 'refs/switchboard')).toBe('');
      expect(await git(lead, 'rev-parse', 'HEAD')).toBe(base);
    };

    // A bundle of the right branch that does not descend from it (another history), and one of another branch.
    const scratch = directory('switchboard-kube-scratch-');
    await git(scratch, 'init', '--quiet');
    await git(scratch, 'checkout', '--quiet', '-b', branch);
    writeFileSync(join(scratch, 'other.txt'), 'unrelated\n');
    await git(scratch, 'add', 'other.txt');
    await git(scratch, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '--quiet', '-m', 'other');
    await git(scratch, 'bundle', 'create', '--quiet', 'diverged.bundle', `refs/heads/${branch}`);
    await git(scratch, 'branch', 'elsewhere');
    await git(scratch, 'bundle', 'create', '--quiet', 'elsewhere.bundle', 'refs/heads/elsewhere');
    const diverged = readFileSync(join(scratch, 'diverged.bundle'));
    const elsewhere = readFileSync(join(scratch, 'elsewhere.bundle'));

    expect(await send(diverged, 'not-a-token')).toEqual({ status: 401, code: 'unauthorized' });
    expect(await send(diverged, hub.hub.ownerToken)).toEqual({ status: 401, code: 'unauthorized' });
    const fetched = await fetch(`${hub.url}/workers/repository`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(fetched.status).toBe(401);
    expect(await send(Buffer.from('# v2 git bundle\nnot really\n'))).toEqual({
      status: 400,
      code: 'bad_bundle',
    });
    expect(await send(Buffer.alloc(100 * 1024, 7))).toEqual({ status: 413, code: 'too_large' });
    expect(await send(elsewhere)).toEqual({ status: 400, code: 'bad_bundle' });
    expect(await send(diverged)).toEqual({ status: 409, code: 'not_fast_forward' });
    await unchanged();

    // The worker reports and exits: its agent commits pod.txt and sends it back before the pod ends.
    await client.attach(id, 'drive');
    await client.input(id, `${call('report_result', { status: 'done', summary: 'wrote pod.txt' })}\r`);
    await waitUntil(() => taskTitled(hub.hub, 'pod work')?.status === 'done', 20_000, 'the report');
    // Its task is done but its pod still runs: its work is not on the branch yet, and merge says so.
    const env: NodeJS.ProcessEnv = { ...process.env, SWITCHBOARD_HOME: hub.stateDir };
    delete env.SWITCHBOARD_URL;
    delete env.SWITCHBOARD_TOKEN;
    const cli = (...args: string[]) =>
      run(process.execPath, [join(REPO_ROOT, 'bin/switchboard'), ...args], { env });
    const early = await cli('merge', taskId).catch((error: { stderr: string }) => error);
    expect(early.stderr).toContain(`whose work is not on ${branch} yet`);
    await unchanged();
    await client.input(id, 'EXIT\r');
    await waitUntil(() => hub.hub.registry.resolve(id).isEnded, 20_000, 'the pod to end');
    await waitForScreen(client, id, `sent 1 commit(s) back to the hub onto ${branch}`, 5_000);
    expect(await git(lead, 'rev-parse', `${branch}^`)).toBe(base);
    expect(await git(lead, 'show', `${branch}:pod.txt`)).toBe('made in the pod');
    // Only the work travels: not the Claude config the agent seeded, nor anything of the pod's home.
    expect((await git(lead, 'ls-tree', '-r', '--name-only', branch)).split('\n')).toEqual([
      'a.txt',
      'pod.txt',
    ]);

    const merged = await cli('merge', taskId);
    expect(merged.stdout).toContain(`Merged ${branch} into main`);
    expect(readFileSync(join(lead, 'pod.txt'), 'utf8')).toBe('made in the pod\n');
    await hub.hub.registry.resolve(plainId).kill();
    await expectNothingLeft(server, [id, plainId]);
  }, 120_000);
});
