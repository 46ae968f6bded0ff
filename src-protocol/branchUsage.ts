// Token use per delegation branch (issue 13 #6): a task and all its subtasks, each counted with what its
// worker session used while on it (`TaskInfo.usage`, worked out by the hub), so a session's other tasks
// are not in this branch's figure.
import type { TaskInfo } from './messages/task.js';
import { tokenCount } from './messages/usage.js';

export interface BranchUsage {
  /** The task and its subtasks, at any depth. */
  tasks: number;
  /** The sessions they went to. */
  sessions: string[];
  tokens: number;
  /** At list prices; null when no task's model has a known price. */
  costUsd: number | null;
  /** Some task's figure is its session's whole use (its transcript had no times to split it by). */
  approximate: boolean;
}

/** Each task's direct subtasks (by `parentId`); built once to sum many branches of the same list. */
export function subtasksOf(tasks: readonly TaskInfo[]): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const task of tasks)
    if (task.parentId) children.set(task.parentId, [...(children.get(task.parentId) ?? []), task.id]);
  return children;
}

/** The ids of a task and its descendants (by `parentId`), the task first. */
export function branchOf(
  root: string,
  tasks: readonly TaskInfo[],
  children: ReadonlyMap<string, string[]> = subtasksOf(tasks),
): string[] {
  const seen = new Set<string>();
  const queue = [root];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue; // a cycle in bad data never loops forever
    seen.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return [...seen];
}

export function branchUsage(
  root: string,
  tasks: readonly TaskInfo[],
  lookup: { byId: ReadonlyMap<string, TaskInfo>; children: ReadonlyMap<string, string[]> } = {
    byId: new Map(tasks.map((task) => [task.id, task])),
    children: subtasksOf(tasks),
  },
): BranchUsage {
  const { byId } = lookup;
  const branch = branchOf(root, tasks, lookup.children).flatMap((id) => byId.get(id) ?? []);
  let tokens = 0;
  let costUsd: number | null = null;
  let approximate = false;
  for (const { usage } of branch) {
    if (!usage) continue;
    tokens += usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
    if (usage.costUsd !== null) costUsd = (costUsd ?? 0) + usage.costUsd;
    approximate ||= usage.approximate;
  }
  if (costUsd !== null) costUsd = Math.round(costUsd * 10_000) / 10_000;
  const sessions = [...new Set(branch.map((task) => task.toSession))];
  return { tasks: branch.length, sessions, tokens, costUsd, approximate };
}

/** "1.2M tokens, about $3.10" (no cost part when no price is known; a note when some figure is whole). */
export function branchUsageLine(usage: BranchUsage): string {
  const cost = usage.costUsd === null ? '' : `, about $${usage.costUsd.toFixed(2)}`;
  const note = usage.approximate ? ' (approximate: whole sessions counted)' : '';
  return `${tokenCount(usage.tokens)} tokens${cost}${note}`;
}

/** "353k tok · $0.58" (≈ when approximate), short for a graph edge's label; null while no tokens. */
export function branchUsageShort(usage: BranchUsage): string | null {
  if (usage.tokens === 0) return null;
  const cost = usage.costUsd === null ? '' : ` · $${usage.costUsd.toFixed(2)}`;
  return `${usage.approximate ? '≈' : ''}${tokenCount(usage.tokens)} tok${cost}`;
}
