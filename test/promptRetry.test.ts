// Ring 3: a task typed into the real Claude Code (2.1.331) whose Enter is lost still gets sent. Under a full
// CI run's load a child worker's Enter was taken in with the paste, and its task sat in the input box for
// good. Here a thin pty wrapper (fixtures/enter-eater.mjs) swallows that Enter on purpose: the hub must see
// the text still in the box and press Enter again.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHub, waitUntil, type TestHub } from './helpers.js';
import { startModelServer } from './modelServer.js';
import { CLAUDE, requireClaude, scriptedClaudeEnv, seedClaudeConfig } from './realClaudeSetup.js';

let workspace: string;
let model: Awaited<ReturnType<typeof startModelServer>>;
let hub: TestHub;

beforeAll(async () => {
  requireClaude();
  workspace = mkdtempSync(join(tmpdir(), 'switchboard-enter-retry-'));
  mkdirSync(join(workspace, 'repo'));
  mkdirSync(join(workspace, 'claude-config'));
  seedClaudeConfig(join(workspace, 'claude-config'), [join(workspace, 'repo')]);
  model = await startModelServer([]);
  hub = await startTestHub({
    claude: {
      binary: process.execPath,
      args: [resolve('test/fixtures/enter-eater.mjs'), CLAUDE],
      env: scriptedClaudeEnv(model.url, join(workspace, 'claude-config')),
      permissionMode: 'manual',
    },
  });
}, 60_000);

afterAll(async () => {
  await hub?.close();
  await model?.close();
  rmSync(workspace, { recursive: true, force: true });
});

it('a task whose Enter was swallowed is sent by a second Enter, once, and the turn runs', async () => {
  const client = await hub.client();
  const prompt = 'ENTER_RETRY_CHECK\nsecond line of the task';
  const session = await client.createSession({ name: 'eaten', cwd: join(workspace, 'repo'), prompt });
  await waitUntil(
    () =>
      model.requests.some(
        (request) => request.session === session.id && request.prompt.includes('ENTER_RETRY_CHECK'),
      ),
    60_000,
    'the task to reach the model',
  );
  const retries = hub.logger.events.filter(
    (event) => event.event === 'prompt.enter_retry' && event.session === session.id,
  );
  expect(retries.map((event) => event.attempt)).toEqual([1]);
  await waitUntil(() => hub.hub.registry.resolve(session.id).status === 'idle', 30_000, 'the turn to end');
  await client.kill(session.id);
}, 120_000);
