// Issue 13 item 5: the owner renames, restarts and duplicates sessions against a real hub. A restart
// starts an ended session again under its id, name, directory and command (a Claude session resumes its
// conversation); bad input and invitees get coded refusals and change nothing.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { connectHub } from '../src-cli/connect.js';
import { sessionTable } from '../src-cli/output.js';
import { fixture, startTestHub, waitForScreen, waitUntil, type TestHub } from './helpers.js';

let home: string;
let hub: TestHub;
let owner: HubClient;

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'switchboard-actions-'));
  for (const directory of ['claude-config', 'work']) mkdirSync(join(home, directory));
  hub = await startTestHub({
    claude: {
      binary: fixture('fake-claude.mjs'),
      env: { CLAUDE_CONFIG_DIR: join(home, 'claude-config') },
      unreportedGraceSeconds: 600,
    },
  });
  owner = await hub.client();
});

afterAll(async () => {
  await hub.close();
  rmSync(home, { recursive: true, force: true });
});

const work = () => join(home, 'work');
const names = async () => (await owner.listSessions()).map((session) => session.name).sort();
const ended = (id: string) => () => hub.hub.registry.find(id)?.isEnded === true;

describe('rename', () => {
  it('renames a session; others hear it; the new name resolves and the old one does not', async () => {
    const session = await owner.createSession({ name: 'before', cwd: work(), command: 'cat' });
    const watcher = await hub.client();
    const heard: HubMessage[] = [];
    watcher.onMessage((message) => heard.push(message));
    const renamed = await owner.renameSession('before', 'after');
    expect(renamed).toMatchObject({ id: session.id, name: 'after', status: 'running' });
    await waitUntil(
      () => heard.some((m) => m.type === 'session.event' && m.session.name === 'after'),
      5000,
      'the rename reaches other clients',
    );
    expect(hub.hub.registry.resolve('after').id).toBe(session.id);
    await expect(owner.renameSession('before', 'again')).rejects.toMatchObject({ code: 'unknown_session' });
    await owner.kill(session.id);
  });

  it('refuses a taken name, a bad name and an unknown session, changing nothing', async () => {
    const one = await owner.createSession({ name: 'one', cwd: work(), command: 'cat' });
    await owner.createSession({ name: 'two', cwd: work(), command: 'cat' });
    const before = await names();
    await expect(owner.renameSession('one', 'two')).rejects.toMatchObject({ code: 'name_taken' });
    await expect(owner.renameSession('one', 'has space')).rejects.toMatchObject({
      code: 'invalid_message',
      message: expect.stringContaining('letters, digits') as unknown,
    });
    await expect(owner.renameSession('no-such', 'three')).rejects.toMatchObject({ code: 'unknown_session' });
    expect(await names()).toEqual(before);
    expect(hub.hub.registry.find(one.id)?.name).toBe('one');
  });
});

describe('restart', () => {
  it('starts an ended command again under its id, name, directory and command', async () => {
    const session = await owner.createSession({
      name: 'printer',
      cwd: work(),
      command: 'sh',
      args: ['-c', 'echo run-in-$(pwd); sleep 60'],
    });
    await waitForScreen(owner, session.id, `run-in-${work()}`);
    await owner.kill(session.id);
    await waitUntil(ended(session.id), 5000, 'printer ended');

    const restarted = await owner.restartSession('printer');
    expect(restarted).toMatchObject({
      id: session.id,
      name: 'printer',
      cwd: work(),
      args: session.args,
      status: 'running',
    });
    expect(restarted.command).toBe(session.command);
    expect(restarted.pid).not.toBe(session.pid);
    const list = await owner.listSessions();
    expect(list.filter((entry) => entry.name === 'printer')).toHaveLength(1);
    // The new process runs, with a fresh screen of its own.
    expect(hub.hub.registry.find(session.id)?.isEnded).toBe(false);
    await waitForScreen(owner, session.id, `run-in-${work()}`);
    await owner.kill(session.id);
  });

  it('keeps its place in the list and its creation time', async () => {
    const first = await owner.createSession({ name: 'place-1', cwd: work(), command: 'cat' });
    const middle = await owner.createSession({ name: 'place-2', cwd: work(), command: 'cat' });
    const last = await owner.createSession({ name: 'place-3', cwd: work(), command: 'cat' });
    const order = async () =>
      (await owner.listSessions()).map((entry) => entry.name).filter((name) => name.startsWith('place-'));
    await owner.kill(middle.id);
    await waitUntil(ended(middle.id), 5000, 'place-2 ended');
    const restarted = await owner.restartSession('place-2');
    expect(restarted.createdAt).toBe(middle.createdAt);
    expect(restarted.pid).not.toBe(middle.pid);
    expect(await order()).toEqual(['place-1', 'place-2', 'place-3']);
    // `switchboard ls` prints the hub's list as it comes: place-2 stays between the others.
    const rows = sessionTable(await owner.listSessions()).split('\n');
    const row = (name: string) => rows.findIndex((line) => line.includes(` ${name} `));
    expect(row('place-1')).toBeLessThan(row('place-2'));
    expect(row('place-2')).toBeLessThan(row('place-3'));
    for (const session of [first, middle, last]) await owner.kill(session.id);
  });

  it('resumes a Claude session: the same id, and its conversation goes on', async () => {
    const lead = await owner.createSession({ name: 'lead', cwd: work(), prompt: 'remember the banana' });
    await waitUntil(
      () => hub.hub.registry.find(lead.id)?.mirror.screen().lines.join('\n').includes('banana') === true,
      10_000,
      'first turn',
    );
    await waitUntil(() => hub.hub.registry.find(lead.id)?.status === 'idle', 10_000, 'lead idle');
    await owner.kill(lead.id);
    await waitUntil(ended(lead.id), 5000, 'lead ended');

    const back = await owner.restartSession(lead.id);
    expect(back).toMatchObject({ id: lead.id, name: 'lead', kind: 'claude', cwd: work() });
    expect(hub.hub.registry.find(lead.id)?.spec.args).toContain('--resume');
    await waitUntil(
      () => /resumed \d+ turns/.test(hub.hub.registry.find(lead.id)?.mirror.screen().lines.join('\n') ?? ''),
      10_000,
      'the conversation resumed',
    );
    await owner.kill(lead.id);
    await waitUntil(ended(lead.id), 5000, 'lead ended again');
  });

  it('refuses a running session with session_running, and an unknown one with unknown_session', async () => {
    const live = await owner.createSession({ name: 'live', cwd: work(), command: 'cat' });
    await expect(owner.restartSession('live')).rejects.toMatchObject({
      code: 'session_running',
      message: expect.stringContaining('kill it first') as unknown,
    });
    expect(hub.hub.registry.find(live.id)?.isEnded).toBe(false);
    expect(hub.hub.registry.find(live.id)?.info().pid).toBe(live.pid);
    await expect(owner.restartSession('nobody-here')).rejects.toMatchObject({ code: 'unknown_session' });
    await owner.kill(live.id);
  });
});

describe('duplicate', () => {
  it('starts another session like this one under a free name, or the one given', async () => {
    const source = await owner.createSession({ name: 'api', cwd: work(), command: 'cat' });
    const copy = await owner.duplicateSession('api');
    expect(copy).toMatchObject({ name: 'api-2', cwd: work(), command: source.command, status: 'running' });
    expect(copy.id).not.toBe(source.id);
    const named = await owner.duplicateSession('api', 'api-tests');
    expect(named.name).toBe('api-tests');
    const third = await owner.duplicateSession('api-2');
    expect(third.name).toBe('api-3');
    await expect(owner.duplicateSession('api', 'api-2')).rejects.toMatchObject({ code: 'name_taken' });
    await expect(owner.duplicateSession('nope')).rejects.toMatchObject({ code: 'unknown_session' });
    for (const session of [source, copy, named, third]) await owner.kill(session.id);
  });
});

describe('invitees', () => {
  it('get not_allowed for rename, restart and duplicate, and nothing changes', async () => {
    const target = await owner.createSession({ name: 'guarded', cwd: work(), command: 'cat' });
    await owner.kill(target.id);
    await waitUntil(ended(target.id), 5000, 'guarded ended');
    const before = await names();
    for (const role of ['driver', 'observer'] as const) {
      const { token } = await owner.createInvite(role);
      const guest = await connectHub({ url: hub.url, token });
      await expect(guest.renameSession(target.id, 'taken-over')).rejects.toMatchObject({
        code: 'not_allowed',
      });
      await expect(guest.restartSession(target.id)).rejects.toMatchObject({ code: 'not_allowed' });
      await expect(guest.duplicateSession(target.id)).rejects.toMatchObject({ code: 'not_allowed' });
      guest.close();
    }
    expect(await names()).toEqual(before);
    expect(hub.hub.registry.find(target.id)?.isEnded).toBe(true);
  });
});
