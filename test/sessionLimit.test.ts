// Issue 9: a hub runs a bounded number of live sessions. Past the cap, session.create, delegate to a new
// session and spawn_worker get `session_limit` (saying the limit and how to raise it), and the sessions
// already running keep running.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HubClient } from '../src-protocol/index.js';
import { fixture, mcpClient, outputOf, startTestHub, waitUntil, type TestHub } from './helpers.js';
import { runCli, startHubProcess } from './hubProcess.js';

let hub: TestHub;
let owner: HubClient;
let work: string;

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'switchboard-limit-'));
  hub = await startTestHub({
    claude: { binary: fixture('fake-claude.mjs') },
    limits: { maxLiveSessions: 2 },
  });
  owner = await hub.client();
});
afterEach(async () => {
  await hub.close();
  rmSync(work, { recursive: true, force: true });
});

const textOf = (result: Record<string, unknown>) =>
  ((result.content ?? []) as Array<{ text: string }>).map((part) => part.text).join('');

describe('issue 9: the cap on live sessions', () => {
  it('refuses sessions past the cap with session_limit; the running ones keep running', async () => {
    const shell = await owner.createSession({ name: 'cat', cwd: work, command: 'cat' });
    const claude = await owner.createSession({ name: 'lead', cwd: work });
    await waitUntil(() => hub.hub.registry.resolve(claude.id).status === 'idle', 10_000, 'lead ready');

    await expect(owner.createSession({ cwd: work, command: 'cat' })).rejects.toMatchObject({
      code: 'session_limit',
      message: expect.stringMatching(
        /2 sessions are running.*--max-sessions N.*SWITCHBOARD_MAX_SESSIONS/,
      ) as unknown,
    });
    // delegate without `to` starts a session: refused the same way, from the CLI and from a session.
    await expect(
      owner.request({ type: 'task.delegate', instructions: 'x', cwd: work }),
    ).rejects.toMatchObject({ code: 'session_limit' });
    const asLead = await mcpClient(
      hub.url,
      hub.hub.registry.resolve(claude.id).spec.env.SWITCHBOARD_SESSION_TOKEN!,
    );
    const delegated = await asLead.callTool({ name: 'delegate', arguments: { instructions: 'x' } });
    expect(textOf(delegated)).toMatch(/^session_limit: 2 sessions are running/);
    // So is a worker: the cap is checked before Docker is asked for anything.
    const worker = await asLead.callTool({ name: 'spawn_worker', arguments: { instructions: 'x' } });
    expect(textOf(worker)).toMatch(/^session_limit: /);
    await asLead.close();
    expect((await owner.listSessions()).map((session) => session.name).sort()).toEqual(['cat', 'lead']);
    expect(hub.hub.router.list({ session: null, name: 'owner' })).toEqual([]);

    // The running sessions are untouched.
    await owner.attach(shell.id, 'drive');
    const output = outputOf(owner, shell.id);
    await owner.input(shell.id, 'still-here\r');
    await output.waitFor('still-here');
    expect(hub.hub.registry.resolve(claude.id).isEnded).toBe(false);

    // Ending one frees its place.
    await owner.kill(shell.id);
    const next = await owner.createSession({ cwd: work, command: 'cat' });
    expect(next.status).toBe('running');
  });
});

describe('issue 9: switchboard hub --max-sessions', () => {
  it('caps a CLI hub at N: the next `new` fails with session_limit', async () => {
    const home = join(work, 'home');
    const cliHub = await startHubProcess(home, ['--max-sessions', '1']);
    try {
      expect(await runCli(home, ['new', '--name', 'one', '--cwd', work, '--', 'cat'])).toMatchObject({
        code: 0,
      });
      const refused = await runCli(home, ['new', '--json', '--cwd', work, '--', 'cat']);
      expect(refused.code).toBe(1);
      expect(JSON.parse(refused.stdout)).toMatchObject({
        error: {
          code: 'session_limit',
          message: expect.stringContaining('1 session is running') as unknown,
        },
      });
    } finally {
      await cliHub.stop();
    }
  });
});
