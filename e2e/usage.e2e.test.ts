// Issue 13 item 6: token use in the browser, read the real way. The stand-in Claude writes its transcript
// where Claude Code does ($CLAUDE_CONFIG_DIR/projects/<cwd>/<session id>.jsonl, assistant lines carrying
// `usage`) and names it in every hook; the hub reads it, and the page shows it on the graph node, in the
// task inspector and in the edge menu for the whole delegation branch.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { estimateCost, PRICES_AS_OF } from '../src-hub/usage/prices.js';
import type { BranchUsage, SessionInfo, TaskInfo } from '../src-protocol/index.js';
import { waitUntil } from '../test/helpers.js';
import { browserMissing, launchChromium, ownerPage, screenshot, startUiHub, type UiHub } from './harness.js';

const missing = browserMissing();
if (missing && process.env.CI) throw new Error(`Browser e2e cannot run in CI: ${missing}`);
if (missing) console.log(`[e2e] usage journeys skipped: ${missing}`);

// The figures each transcript holds (Claude Code's field names), and their models.
const LEAD = {
  model: 'claude-opus-4-5-20251101',
  usage: {
    input_tokens: 2000,
    output_tokens: 6000,
    cache_read_input_tokens: 150_000,
    cache_creation_input_tokens: 12_000,
  },
};
const WORKER = {
  model: 'claude-sonnet-4-5-20250929',
  usage: {
    input_tokens: 4000,
    output_tokens: 9000,
    cache_read_input_tokens: 150_000,
    cache_creation_input_tokens: 20_000,
  },
};
// A later task of the same worker: its use is the worker session's, but not the first subtask's.
const LATER = {
  model: WORKER.model,
  usage: {
    input_tokens: 30_000,
    output_tokens: 20_000,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  },
};
const total = (figures: typeof LEAD) => Object.values(figures.usage).reduce((sum, tokens) => sum + tokens, 0);
const cost = (figures: typeof LEAD) =>
  estimateCost(figures.model, {
    inputTokens: figures.usage.input_tokens,
    outputTokens: figures.usage.output_tokens,
    cacheReadTokens: figures.usage.cache_read_input_tokens,
    cacheCreationTokens: figures.usage.cache_creation_input_tokens,
  })!;

let uiHub: UiHub;
let browser: Browser;
let page: Page;
let claudeDir: string;
const ids: Record<string, string> = {};
const owner = { session: null, name: 'owner' } as const;
const taskTitled = (title: string) => uiHub.hub.router.list(owner).find((task) => task.title === title);
const node = (name: string) => page.getByTestId(`graph-node-${name}`);

/** The element's text, or "(absent)" when it is not there within a second (so a poll fails clearly). */
const text = (locator: Locator) => locator.innerText({ timeout: 1000 }).catch(() => '(absent)');

/** Whether the element is wholly inside the window (read as a user sees it, not only in the DOM). */
async function onScreen(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const view = page.viewportSize()!;
  return (
    !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= view.width && box.y + box.height <= view.height
  );
}

describe.skipIf(missing !== undefined)('token use read from the transcript (Chromium, real hub)', () => {
  beforeAll(async () => {
    claudeDir = mkdtempSync(join(tmpdir(), 'switchboard-e2e-claude-'));
    uiHub = await startUiHub({ claudeEnv: { CLAUDE_CONFIG_DIR: claudeDir } });
    for (const name of ['lead', 'worker'])
      ids[name] = (await uiHub.owner.createSession({ name, cwd: uiHub.workspace })).id;
    await waitUntil(
      () => ['lead', 'worker'].every((name) => uiHub.hub.registry.resolve(ids[name]!).status === 'idle'),
      15_000,
      'both sessions idle',
    );
    browser = await launchChromium();
    ({ page } = await ownerPage(browser, uiHub));
    await page.getByRole('button', { name: 'Delegation graph' }).click();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await uiHub?.close();
    if (claudeDir) rmSync(claudeDir, { recursive: true, force: true });
  });

  it('a lead hands a subtask to a worker: the nodes, the inspector and the edge menu show the tokens', async () => {
    const workerSteps = [
      `USAGE ${WORKER.model} ${JSON.stringify(WORKER.usage)}`,
      `CALL report_result ${JSON.stringify({ status: 'done', summary: 'sub done' })}`,
    ].join('\n');
    const leadSteps = [
      `USAGE ${LEAD.model} ${JSON.stringify(LEAD.usage)}`,
      `CALL delegate ${JSON.stringify({ to: ids.worker, title: 'sub-task', instructions: workerSteps })}`,
      `CALL report_result ${JSON.stringify({ status: 'done', summary: 'handed on' })}`,
    ].join('\n');
    expect((await uiHub.cli('delegate', '--to', 'lead', '--title', 'lead-task', leadSteps)).code).toBe(0);
    await waitUntil(() => taskTitled('sub-task')?.status === 'done', 20_000, 'the worker done');
    expect(taskTitled('sub-task')!.parentId).toBe(taskTitled('lead-task')!.id);

    // The hub read each transcript: `ls --json` carries the figures as written.
    await waitUntil(
      () => ['lead', 'worker'].every((name) => uiHub.hub.registry.resolve(ids[name]!).info().usage),
      10_000,
      'usage on both sessions',
    );
    const listed = JSON.parse((await uiHub.cli('ls', '--json')).stdout) as SessionInfo[];
    const worker = listed.find((session) => session.id === ids.worker)!;
    expect(worker.usage).toMatchObject({
      model: WORKER.model,
      inputTokens: 4000,
      outputTokens: 9000, // the message's last line counts, not its first (output_tokens 1)
      cacheReadTokens: 150_000,
      cacheCreationTokens: 20_000,
      costUsd: cost(WORKER),
    });

    // Sonnet 4.5 at $3 in / $15 out: 4000·3 + 20000·3.75 + 150000·0.3 + 9000·15 = $0.267; context 174k of 200k.
    expect(cost(WORKER)).toBe(0.267);
    await expect
      .poll(() => text(node('worker').getByTestId('node-usage')), { timeout: 10_000 })
      .toBe('183k tokens, ~$0.27, context 87%');
    // Opus 4.5 at $5 in / $25 out: 2000·5 + 12000·6.25 + 150000·0.5 + 6000·25 = $0.31; context 164k of 200k.
    expect(cost(LEAD)).toBe(0.31);
    expect(await text(node('lead').getByTestId('node-usage'))).toBe('170k tokens, ~$0.31, context 82%');
    // The sidebar row's tooltip has the rest: model, input and output, cache reads, the estimate's date.
    const rowTitle = (await page.getByTestId('session-worker').getAttribute('title'))!.split('\n');
    expect(rowTitle).toEqual([
      'claude',
      uiHub.workspace,
      `model ${WORKER.model}`,
      'input 4,000 · output 9,000 tokens',
      'cache reads 150,000 · cache writes 20,000',
      `about $0.27 at the list prices of ${PRICES_AS_OF}`,
      'context 174,000 of 200,000 tokens (87%)',
    ]);
    await screenshot(page, 'usage-01-graph-nodes');

    // The branch: lead-task and its subtask, both sessions summed.
    expect(total(LEAD) + total(WORKER)).toBe(353_000);
    const line = `This task and its subtasks: 353k tokens, about $${(cost(LEAD) + cost(WORKER)).toFixed(2)}`;
    expect(line).toBe('This task and its subtasks: 353k tokens, about $0.58');
    // On the graph, each task's edge label carries its branch's total, short, clear of every node.
    const edgeUsage = (title: string) =>
      page.locator(`[data-testid="rf__edge-${taskTitled(title)!.id}"]`).getByTestId('edge-usage');
    await expect
      .poll(() => edgeUsage('lead-task').textContent(), { timeout: 10_000 })
      .toBe('353k tok · $0.58');
    expect(await edgeUsage('sub-task').textContent()).toBe('183k tok · $0.27');
    await page.locator('[data-testid="graph"][aria-busy="false"]').waitFor({ timeout: 15_000 });
    const nodeBoxes = await page
      .locator('.react-flow__node-session')
      .evaluateAll((all) => all.map((one) => one.getBoundingClientRect().toJSON() as DOMRect));
    for (const title of ['lead-task', 'sub-task']) {
      const label = page.locator(
        `[data-testid="rf__edge-${taskTitled(title)!.id}"] .react-flow__edge-textwrapper`,
      );
      const box = (await label.boundingBox())!;
      expect(await label.locator('.react-flow__edge-text').textContent()).toContain(title);
      for (const other of nodeBoxes)
        expect(
          box.x < other.x + other.width &&
            other.x < box.x + box.width &&
            box.y < other.y + other.height &&
            other.y < box.y + box.height,
          `${title}'s label under a node`,
        ).toBe(false);
    }
    await screenshot(page, 'usage-01b-edge-labels');

    await page.getByTestId('edge-lead-task').getByRole('button').first().click();
    const inspector = page.getByTestId('task-inspector');
    await expect.poll(() => text(inspector.getByTestId('branch-usage')), { timeout: 10_000 }).toBe(line);
    expect(await onScreen(inspector.getByTestId('branch-usage'))).toBe(true);
    await screenshot(page, 'usage-02-task-inspector');

    // The subtask alone: only the worker's use.
    await page.getByTestId('edge-sub-task').getByRole('button').first().click();
    await expect
      .poll(() => text(inspector.getByTestId('branch-usage')), { timeout: 10_000 })
      .toBe('This task: 183k tokens, about $0.27');

    await page.getByRole('button', { name: 'Actions for lead-task' }).click();
    const menu = page.getByTestId('edge-menu');
    await expect.poll(() => text(menu.getByTestId('branch-usage')), { timeout: 10_000 }).toBe(line);
    // Opened from the ⋯ of a row at the bottom of the window: the menu stays whole on screen.
    expect(await onScreen(menu)).toBe(true);
    await screenshot(page, 'usage-03-edge-menu');
    await page.keyboard.press('Escape');

    // Each task's own figure (issue 13 #6): `tasks --json` carries it, timed from the transcript.
    const listTasks = async () =>
      JSON.parse((await uiHub.cli('tasks', '--json')).stdout) as Array<
        TaskInfo & { branchUsage: BranchUsage }
      >;
    const listedTask = (all: Awaited<ReturnType<typeof listTasks>>, title: string) =>
      all.find((one) => one.title === title)!;
    let listedTasks = await listTasks();
    expect(listedTask(listedTasks, 'sub-task').usage).toMatchObject({
      inputTokens: 4000,
      outputTokens: 9000,
      cacheReadTokens: 150_000,
      cacheCreationTokens: 20_000,
      costUsd: cost(WORKER),
      approximate: false,
    });
    expect(listedTask(listedTasks, 'lead-task').branchUsage).toMatchObject({ tokens: 353_000, tasks: 2 });

    // The worker takes a later task: its session's figure grows, the first subtask's stays its own.
    const laterSteps = [
      `USAGE ${LATER.model} ${JSON.stringify(LATER.usage)}`,
      `CALL report_result ${JSON.stringify({ status: 'done', summary: 'later done' })}`,
    ].join('\n');
    expect((await uiHub.cli('delegate', '--to', 'worker', '--title', 'later-task', laterSteps)).code).toBe(0);
    await waitUntil(() => taskTitled('later-task')?.status === 'done', 20_000, 'the later task done');
    await waitUntil(
      () => uiHub.hub.registry.resolve(ids.worker!).info().usage?.inputTokens === 34_000,
      10_000,
      "the later task in the worker session's use",
    );
    await waitUntil(() => taskTitled('later-task')?.usage?.inputTokens === 30_000, 10_000, 'its own figure');
    // Per session, unchanged: the whole of it (ls --json, the node).
    await expect
      .poll(() => text(node('worker').getByTestId('node-usage')), { timeout: 10_000 })
      .toMatch(/^233k tokens/);
    listedTasks = await listTasks();
    expect(listedTask(listedTasks, 'later-task').usage).toMatchObject({
      inputTokens: 30_000,
      outputTokens: 20_000,
      approximate: false,
    });
    expect(listedTask(listedTasks, 'later-task').branchUsage.tokens).toBe(total(LATER));
    // Before, the sub-task's branch counted the worker's whole 233k; now only what it used on the sub-task.
    expect(listedTask(listedTasks, 'sub-task').branchUsage).toMatchObject({
      tokens: 183_000,
      approximate: false,
    });
    expect(listedTask(listedTasks, 'lead-task').branchUsage.tokens).toBe(353_000);
    expect(await edgeUsage('sub-task').textContent()).toBe('183k tok · $0.27');
    expect(await edgeUsage('lead-task').textContent()).toBe('353k tok · $0.58');
    await expect
      .poll(() => edgeUsage('later-task').textContent(), { timeout: 10_000 })
      .toBe('50k tok · $0.39');
  }, 90_000);

  it('raised no page errors', () => {
    expect((page as Page & { errors?: string[] }).errors ?? []).toEqual([]);
  });
});
