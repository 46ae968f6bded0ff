// A hub restart relaunches the Claude sessions it owned (ARCHITECTURE §6), with the fake agent keeping
// Claude Code's transcript files: a session with a conversation is resumed (`--resume`) and told to carry
// on with its open task; one without starts fresh under its old id; ended and non-Claude sessions are not
// started again (they are listed as ended, issue 9); a session in a worktree comes back in the same worktree.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHub, memoryLogger, type HubPorts } from '../src-hub/index.js';
import type { TaskInfo } from '../src-protocol/index.js';
import { fixture, startTestHub, waitForScreen, waitUntil } from './helpers.js';

let home: string;
let ports: Partial<HubPorts>;

/** Turns the fake agent has written to the session's transcript (as Claude Code keeps them). */
function turnsOf(session: string): number {
  const projects = join(home, 'claude-config', 'projects');
  if (!existsSync(projects)) return 0;
  for (const project of readdirSync(projects)) {
    const file = join(projects, project, `${session}.jsonl`);
    if (existsSync(file)) return readFileSync(file, 'utf8').trim().split('\n').length;
  }
  return 0;
}

beforeAll(() => {
  home = mkdtempSync(join(tmpdir(), 'switchboard-resume-'));
  for (const directory of ['state', 'claude-config', 'work', 'repo']) mkdirSync(join(home, directory));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], {
      cwd: join(home, 'repo'),
    });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(home, 'repo', 'README.md'), 'base\n');
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  ports = {
    stateDir: join(home, 'state'),
    claude: {
      binary: fixture('fake-claude.mjs'),
      env: { CLAUDE_CONFIG_DIR: join(home, 'claude-config') },
      unreportedGraceSeconds: 600,
    },
  };
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('hub restart', () => {
  it('resumes the Claude sessions it stopped, under their ids, and nothing else', async () => {
    const first = await startTestHub(ports);
    const owner = await first.client();
    const work = join(home, 'work');
    const talker = await owner.createSession({ name: 'talker', cwd: work, prompt: 'remember the banana' });
    const quiet = await owner.createSession({ name: 'quiet', cwd: work });
    const branched = await owner.createSession({
      name: 'branched',
      cwd: join(home, 'repo'),
      worktree: true,
      prompt: 'hello from a branch',
    });
    const gone = await owner.createSession({ name: 'gone', cwd: work });
    const shell = await owner.createSession({ name: 'shell', cwd: work, command: 'bash', args: ['--norc'] });
    await waitUntil(() => turnsOf(talker.id) === 1, 20_000, 'talker to take its first turn');
    const { task } = (await owner.request({
      type: 'task.delegate',
      to: talker.id,
      title: 'long job',
      instructions: 'SLEEP 600000',
    })) as { task: TaskInfo };
    await waitUntil(() => turnsOf(talker.id) === 2, 20_000, 'talker to take the task');
    await waitUntil(() => turnsOf(branched.id) === 1, 20_000, 'branched to take its first turn');
    await waitUntil(
      () => first.hub.router.list({ session: null, name: 'owner' }).some((t) => t.status === 'running'),
      20_000,
      'the task to run',
    );
    await owner.kill(gone.id);
    await waitUntil(() => first.hub.registry.resolve('gone').isEnded, 10_000, 'gone to end');
    await first.close();
    expect(existsSync(branched.worktree!.path)).toBe(true); // stopping the hub kept the worktree

    const second = await startTestHub(ports);
    try {
      const names = (ended: boolean) =>
        second.hub.registry
          .list()
          .filter((session) => session.isEnded === ended)
          .map((session) => session.name)
          .sort();
      expect(names(false)).toEqual(['branched', 'quiet', 'talker']);
      expect(names(true)).toEqual(['gone', 'shell']); // records of the last run, never run again
      const resumed = second.hub.registry.resolve('talker');
      expect(resumed.id).toBe(talker.id);
      expect(resumed.spec.args).toEqual(expect.arrayContaining(['--resume', talker.id]));
      expect(resumed.spec.args).not.toContain('--session-id');
      // Never submitted anything: Claude Code has no conversation to resume, so it starts fresh.
      const fresh = second.hub.registry.resolve('quiet');
      expect(fresh.id).toBe(quiet.id);
      expect(fresh.spec.args).toEqual(expect.arrayContaining(['--session-id', quiet.id]));
      const again = second.hub.registry.resolve('branched');
      expect(again.spec.cwd).toBe(branched.cwd);
      expect(again.info().worktree).toMatchObject({
        path: branched.worktree!.path,
        branch: 'switchboard/branched',
      });
      expect(second.hub.registry.resolve(shell.id)).toMatchObject({ restored: true, isEnded: true });

      const client = await second.client();
      await waitForScreen(client, talker.id, 'resumed 2 turns', 20_000);
      // The open task is still there and the resumed session is told to carry on with it.
      const unwrapped = async () => (await client.screen(talker.id)).lines.join('');
      await expect
        .poll(unwrapped, { timeout: 20_000 })
        .toContain(`Task ${task.id} ("long job") is still open: carry on with it`);
      expect(
        second.hub.router.list({ session: null, name: 'owner' }).find((t) => t.id === task.id)?.status,
      ).toBe('running');
      const events = second.logger.events.filter((event) => event.event === 'session.resumed');
      expect(events.map((event) => [event.name, event.conversation])).toEqual(
        expect.arrayContaining([
          ['talker', 'resumed'],
          ['quiet', 'fresh'],
          ['branched', 'resumed'],
        ]),
      );
      await client.request({ type: 'task.cancel', task: task.id });
    } finally {
      await second.close();
    }
  }, 60_000);

  it('a result that closes while the hub is down reaches the delegator once it is back', async () => {
    const quick = { ...ports, claude: { ...ports.claude, taskDeadlineSeconds: 2 } };
    const work = join(home, 'work');
    const first = await startTestHub(quick);
    const owner = await first.client();
    const lead = await owner.createSession({ name: 'lead2', cwd: work, prompt: 'hello' });
    const helper = await owner.createSession({ name: 'helper2', cwd: work });
    await waitUntil(() => turnsOf(lead.id) === 1, 20_000, 'lead to take its first turn');
    const delegate = `CALL delegate ${JSON.stringify({ to: helper.id, title: 'slow job', instructions: 'SLEEP 600000' })}`;
    await owner.attach(lead.id, 'drive');
    await owner.input(lead.id, delegate);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await owner.input(lead.id, '\r');
    await waitUntil(
      () => first.hub.router.list({ session: null, name: 'owner' }).some((task) => task.title === 'slow job'),
      20_000,
      'the delegation',
    );
    const task = first.hub.router.list({ session: null, name: 'owner' }).find((t) => t.title === 'slow job')!;
    expect(task.fromSession).toBe(lead.id);
    await first.close();
    await new Promise((resolve) => setTimeout(resolve, 2500)); // its deadline passes while the hub is down

    const second = await startTestHub(quick);
    try {
      const client = await second.client();
      const unwrapped = async () => (await client.screen(lead.id)).lines.join('');
      await expect
        .poll(unwrapped, { timeout: 20_000 })
        .toContain(`[switchboard] task ${task.id} "slow job" timed_out`);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('a client that connects while the hub is still resuming gets a session list that includes them', async () => {
    const first = await startTestHub(ports);
    const owner = await first.client();
    const early = await owner.createSession({ name: 'early', cwd: join(home, 'work') });
    await first.close();

    const second = createHub({ ...ports, stateDir: ports.stateDir!, logger: memoryLogger() });
    const listening = second.listen({ port: 0, writeHubFile: false });
    try {
      const client = await second.connect(); // in-process, before listen() has finished
      const listed = await client.listSessions();
      expect(listed.map((session) => [session.id, session.name])).toContainEqual([early.id, 'early']);
      client.close();
    } finally {
      await listening;
      await second.close();
    }
  }, 60_000);

  it('lets go of a session that cannot start again, saying why', async () => {
    const first = await startTestHub(ports);
    const owner = await first.client();
    const doomed = join(home, 'doomed');
    mkdirSync(doomed);
    await owner.createSession({ name: 'doomed', cwd: doomed });
    await first.close();
    rmSync(doomed, { recursive: true });
    const second = await startTestHub(ports);
    try {
      // Not running: listed as ended with its last screen, until removed.
      expect(second.hub.registry.resolve('doomed')).toMatchObject({ isEnded: true, restored: true });
      const failed = second.logger.events.find((event) => event.event === 'session.resume_failed');
      expect(failed).toMatchObject({ name: 'doomed' });
      expect(String(failed?.error)).toContain('does not exist');
    } finally {
      await second.close();
    }
    // Let go for good: a third start does not try again.
    const third = await startTestHub(ports);
    try {
      expect(third.logger.events.some((event) => event.event === 'session.resume_failed')).toBe(false);
    } finally {
      await third.close();
    }
  }, 60_000);
});
