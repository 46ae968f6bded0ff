// Token use per delegation branch (issue 13 #6): a task and all its subtasks, summed over the distinct
// sessions that worked on them (a session's use is counted once, whole, even if it did other work too).
import type { SessionInfo } from './messages/session.js';
import type { TaskInfo } from './messages/task.js';
import { tokenCount } from './messages/usage.js';

export interface BranchUsage {
  /** The task and its subtasks, at any depth. */
  tasks: number;
  /** The sessions they went to; those with token use are summed. */
  sessions: string[];
  tokens: number;
  /** At list prices; null when no session's model has a known price. */
  costUsd: number | null;
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
  sessions: Readonly<Record<string, SessionInfo>>,
  lookup: { byId: ReadonlyMap<string, TaskInfo>; children: ReadonlyMap<string, string[]> } = {
    byId: new Map(tasks.map((task) => [task.id, task])),
    children: subtasksOf(tasks),
  },
): BranchUsage {
  const { byId } = lookup;
  const branch = branchOf(root, tasks, lookup.children).filter((id) => byId.has(id));
  const worked = [...new Set(branch.map((id) => byId.get(id)!.toSession))];
  let tokens = 0;
  let costUsd: number | null = null;
  for (const id of worked) {
    const usage = sessions[id]?.usage;
    if (!usage) continue;
    tokens += usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheCreationTokens;
    if (usage.costUsd !== null) costUsd = (costUsd ?? 0) + usage.costUsd;
  }
  return { tasks: branch.length, sessions: worked, tokens, costUsd };
}

/** "1.2M tokens, about $3.10" (no cost part when no price is known). */
export function branchUsageLine(usage: BranchUsage): string {
  const cost = usage.costUsd === null ? '' : `, about $${usage.costUsd.toFixed(2)}`;
  return `${tokenCount(usage.tokens)} tokens${cost}`;
}

/** "353k tok · $0.58", short enough for a graph edge's label; null while no session in it used tokens. */
export function branchUsageShort(usage: BranchUsage): string | null {
  if (usage.tokens === 0) return null;
  const cost = usage.costUsd === null ? '' : ` · $${usage.costUsd.toFixed(2)}`;
  return `${tokenCount(usage.tokens)} tok${cost}`;
}
