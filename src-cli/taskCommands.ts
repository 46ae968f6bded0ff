// `switchboard delegate | tasks | task | cancel`: the owner's side of delegation.
import type { HubClient, TaskInfo } from '../src-protocol/index.js';
import { branchUsage, isFinalTaskStatus } from '../src-protocol/index.js';
import { printJson, table } from './output.js';

const short = (id: string | null) => (id ? id.slice(0, 8) : '-');

function age(iso: string): string {
  const seconds = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${Math.round(seconds / 3600)}h`;
}

export function taskTable(tasks: TaskInfo[]): string {
  if (tasks.length === 0) return 'No tasks yet. Delegate one with `switchboard delegate`.\n';
  return table([
    ['ID', 'STATUS', 'FROM', 'TO', 'AGE', 'TITLE'],
    ...tasks.map((task) => [
      short(task.id),
      task.status,
      task.fromName,
      task.toName,
      age(task.createdAt),
      task.title,
    ]),
  ]);
}

export function taskDetail(task: TaskInfo): string {
  const lines = [
    `task      ${task.id}`,
    `title     ${task.title}`,
    `status    ${task.status}`,
    `from      ${task.fromName}${task.fromSession ? ` (${short(task.fromSession)})` : ''}`,
    `to        ${task.toName} (${short(task.toSession)})`,
    `parent    ${task.parentId ?? '-'}`,
    ...(task.retryOf ? [`retry of  ${task.retryOf}`] : []),
    ...(task.retriedAs ? [`re-sent as ${task.retriedAs}`] : []),
    `created   ${task.createdAt}`,
    `updated   ${task.updatedAt}`,
    `deadline  ${task.deadlineAt}`,
    '',
    'instructions:',
    ...task.instructions.split('\n').map((line) => `  ${line}`),
  ];
  const history = task.history ?? [];
  if (history.length > 0) lines.push('', 'history:', ...history.map((step) => `  ${step.at}  ${step.text}`));
  if (task.result) {
    lines.push(
      '',
      `result (${task.result.status}):`,
      ...task.result.summary.split('\n').map((line) => `  ${line}`),
    );
    if (task.result.details)
      lines.push('', 'details:', ...task.result.details.split('\n').map((line) => `  ${line}`));
    const diff = task.result.diff;
    if (diff) {
      lines.push(
        '',
        `changes on ${diff.branch}: ${diff.files} file(s), +${diff.insertions} -${diff.deletions}`,
      );
      lines.push(`  bring them back with: switchboard merge ${short(task.id)} [--rebase | --discard]`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Exit status for a waited task: 0 done, 1 any other outcome, 2 still open when the wait ended. */
export const exitCodeFor = (task: TaskInfo) =>
  task.status === 'done' ? 0 : isFinalTaskStatus(task.status) ? 1 : 2;

export async function runDelegate(
  client: HubClient,
  text: string,
  options: {
    to?: string;
    cwd?: string;
    title?: string;
    wait?: number;
    worktree?: string | boolean;
    json?: boolean;
  },
): Promise<void> {
  if (options.to && options.cwd) throw new Error('Give either --to SESSION or --cwd DIR, not both.');
  const reply = await client.expect('task.result', {
    type: 'task.delegate',
    instructions: text,
    ...(options.title ? { title: options.title } : {}),
    ...(options.to ? { to: options.to } : { cwd: options.cwd ?? process.cwd() }),
    ...(options.wait ? { waitSeconds: options.wait } : {}),
    ...(options.worktree ? { worktree: options.worktree } : {}),
  });
  const task = reply.task;
  if (options.json) printJson(task);
  else if (task.result) process.stdout.write(taskDetail(task));
  else
    process.stdout.write(
      `Task ${task.id} → ${task.toName}: ${task.status}. Follow it with: switchboard task ${short(task.id)}\n`,
    );
  if (options.wait) process.exitCode = exitCodeFor(task);
}

/**
 * Each task with `branchUsage` (issue 13 #6): the token use of it and its subtasks, each task's own (what
 * its session used while on it, `usage`).
 */
export function withBranchUsage(shown: TaskInfo[], all: TaskInfo[]) {
  return shown.map((task) => ({ ...task, branchUsage: branchUsage(task.id, all) }));
}

export async function runTasks(
  client: HubClient,
  options: { json?: boolean; watch?: boolean },
): Promise<void> {
  const { tasks } = await client.expect('task.list.result', { type: 'task.list' });
  if (options.json && !options.watch) return printJson(withBranchUsage(tasks, tasks));
  if (options.json) for (const task of tasks) process.stdout.write(JSON.stringify(task) + '\n');
  else process.stdout.write(taskTable(tasks));
  if (!options.watch) return;
  if (!options.json) process.stdout.write('\nWatching for changes (Ctrl-C stops)…\n');
  // A task's token use changes while it runs (a `task.event` each time): the table leaves such events out.
  const withoutUsage = ({ usage: _usage, ...task }: TaskInfo) => JSON.stringify(task);
  const printed = new Map(tasks.map((task) => [task.id, withoutUsage(task)]));
  await new Promise<void>((resolve) => {
    client.onMessage((message) => {
      if (message.type !== 'task.event') return;
      const task = message.task;
      if (options.json) process.stdout.write(JSON.stringify(task) + '\n');
      else if (printed.get(task.id) !== withoutUsage(task)) {
        printed.set(task.id, withoutUsage(task));
        const summary = task.result ? `: ${task.result.summary.replace(/\s+/g, ' ').slice(0, 100)}` : '';
        process.stdout.write(
          `${new Date().toISOString().slice(11, 19)}  ${short(task.id)}  ${task.status.padEnd(11)} ${task.fromName} → ${task.toName}  ${task.title}${summary}\n`,
        );
      }
    });
    client.onClose(() => resolve());
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
