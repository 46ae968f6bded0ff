// Pure: a task's status history as the inspector shows it (issue 13 #10), from the hub's record and the
// changes this window heard.
import type { TaskInfo, TaskStatusStep } from '../../src-protocol/index.js';

/** Pure: the hub's steps, then the live ones newer than its last; never empty (the task's own status). */
export function mergeHistory(
  kept: readonly TaskStatusStep[] | null,
  live: readonly TaskStatusStep[] | undefined,
  task: Pick<TaskInfo, 'status' | 'updatedAt'>,
): TaskStatusStep[] {
  const steps = [...(kept ?? live ?? [])];
  if (kept)
    for (const step of live ?? []) {
      const last = steps.at(-1);
      if (!last || (step.at > last.at && step.status !== last.status)) steps.push(step);
    }
  return steps.length > 0 ? steps : [{ status: task.status, at: task.updatedAt }];
}
