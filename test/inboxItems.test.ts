// Ring 2: question and review items on a real hub with the fake agent (issue 11). A session asking for
// input (Notification hooks) is answered by typing the reply; a task that ended in a worktree with changes
// is merged from the inbox (real git), owner only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, InboxChanged, InboxItem, TaskInfo } from '../src-protocol/index.js';
import { asksForInput } from '../src-hub/inbox/questions.js';
import { fixture, outputOf, startTestHub, waitUntil, type TestHub } from './helpers.js';

let hub: TestHub;
let owner: HubClient;
let repo: string;
const changes: InboxChanged[] = [];

const gitIn = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    env: { ...process.env, LC_ALL: 'C' },
  }).trim();

beforeAll(async () => {
  repo = mkdtempSync(join(tmpdir(), 'switchboard-inbox-items-'));
  gitIn(repo, 'init', '-q', '-b', 'main');
  gitIn(repo, 'config', 'user.email', 'dev@example.test');
  gitIn(repo, 'config', 'user.name', 'Dev');
  writeFileSync(join(repo, 'shared.txt'), 'original\n');
  gitIn(repo, 'add', '.');
  gitIn(repo, 'commit', '-q', '-m', 'initial');
  hub = await startTestHub({ claude: { binary: fixture('fake-claude.mjs') } });
  owner = await hub.client();
  owner.onMessage((message) => message.type === 'inbox.changed' && void changes.push(message));
});

afterAll(async () => {
  await hub.close();
  rmSync(repo, { recursive: true, force: true });
});

const added = (predicate: (item: InboxItem) => boolean) =>
  changes.find((change) => change.kind === 'added' && predicate(change.item))?.item;
const removal = (id: string) => changes.find((change) => change.kind === 'removed' && change.item.id === id);

describe('questions', () => {
  it('a session waiting for input is a question; a reply is typed into it and the item goes', async () => {
    const session = await owner.createSession({
      cwd: repo,
      prompt: 'NOTIFY idle_prompt Claude is waiting for your input',
    });
    const output = outputOf(owner, session.id);
    await owner.attach(session.id, 'observe');
    let item: InboxItem | undefined;
    await waitUntil(() => (item = added((candidate) => candidate.session === session.id)) !== undefined);
    expect(item).toMatchObject({
      kind: 'question',
      message: 'Claude is waiting for your input',
      readOnly: false,
    });
    const answered = await owner.answer(item!.id, { action: 'reply', text: 'carry on with the tests' });
    expect(answered.message).toContain('Typed your reply');
    await output.waitFor('echo: carry on with the tests');
    expect(removal(item!.id)?.reason).toBe('answered');
  });

  it('a question answered in the session itself leaves the inbox; notices that ask nothing never enter it', async () => {
    const session = await owner.createSession({ cwd: repo, prompt: 'NOTIFY agent_needs_input Pick one' });
    let item: InboxItem | undefined;
    await waitUntil(() => (item = added((candidate) => candidate.session === session.id)) !== undefined);
    await owner.input(session.id, 'typed at the prompt', { submit: true });
    await waitUntil(() => removal(item!.id) !== undefined);
    expect(removal(item!.id)?.reason).toBe('answered_in_terminal');
    expect(['idle_prompt', 'agent_needs_input', 'elicitation_dialog'].map(asksForInput)).toEqual([
      true,
      true,
      true,
    ]);
    expect(
      ['elicitation_complete', 'permission_prompt', 'auth_success', undefined].map(asksForInput),
    ).toEqual([false, false, false, false]);
  });
});

describe('reviews', () => {
  const delegate = async (line: string, title: string) =>
    (
      (await owner.request({
        type: 'task.delegate',
        instructions: [line, 'CALL report_result {"status":"done","summary":"edited"}'].join('\n'),
        title,
        cwd: repo,
        worktree: true,
        waitSeconds: 30,
      })) as { task: TaskInfo }
    ).task;

  it('a task done in a worktree with changes is a review item; merging it from the inbox brings the work back', async () => {
    const task = await delegate('WRITE feature.txt from the worktree', 'feature');
    let item: InboxItem | undefined;
    await waitUntil(() => (item = added((candidate) => candidate.review?.task === task.id)) !== undefined);
    expect(item).toMatchObject({
      kind: 'review',
      session: task.toSession,
      title: 'Task done: feature (1 files, +1 −0)',
      review: { task: task.id, files: 1, insertions: 1, deletions: 0, summary: 'edited' },
      task: { id: task.id, title: 'feature' },
    });
    // A driver invitee sees it, read-only: merging into the owner's repository is the owner's.
    const driver = await hub.client({
      token: (await owner.createInvite('driver', { session: task.toSession })).token,
    });
    expect((await driver.inbox()).find((candidate) => candidate.id === item!.id)?.readOnly).toBe(true);
    await expect(driver.answer(item!.id, { action: 'merge', mode: 'merge' })).rejects.toMatchObject({
      code: 'not_allowed',
    });

    const answered = await owner.answer(item!.id, { action: 'merge', mode: 'merge' });
    expect(answered.outcome).toBe('merged');
    expect(readFileSync(join(repo, 'feature.txt'), 'utf8')).toBe('from the worktree\n');
    expect(removal(item!.id)).toMatchObject({ reason: 'answered', answeredBy: { role: 'owner' } });
  });

  it('a conflict leaves the item open, saying so; the owner merging elsewhere closes it', async () => {
    const [one, two] = await Promise.all([
      delegate('WRITE shared.txt one', 'one'),
      delegate('WRITE shared.txt two', 'two'),
    ]);
    let first: InboxItem | undefined;
    let second: InboxItem | undefined;
    await waitUntil(
      () =>
        (first = added((candidate) => candidate.review?.task === one.id)) !== undefined &&
        (second = added((candidate) => candidate.review?.task === two.id)) !== undefined,
    );
    expect((await owner.answer(first!.id, { action: 'merge', mode: 'merge' })).outcome).toBe('merged');
    const conflict = await owner.answer(second!.id, { action: 'merge', mode: 'merge' });
    expect(conflict.outcome).toBe('conflict');
    expect(conflict.message).toContain('shared.txt');
    expect((await owner.inbox()).map((open) => open.id)).toContain(second!.id);
    await owner.request({ type: 'worktree.merge', task: two.id, mode: 'discard', force: true });
    await waitUntil(() => removal(second!.id) !== undefined);
    expect(removal(second!.id)?.reason).toBe('gone');
  });
});
