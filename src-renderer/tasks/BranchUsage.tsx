// "This task and its subtasks: 1.2M tokens, about $3.10" (issue 13 #6), from each task's own use (what its
// session used while on it); nothing while none has used tokens.
import { branchUsage, branchUsageLine } from '../../src-protocol/index.js';
import { useApp } from '../state/store.js';

export function BranchUsage({ task }: { task: string }) {
  const tasks = useApp((state) => state.hub.tasks);
  const usage = branchUsage(task, Object.values(tasks));
  if (usage.tokens === 0) return null;
  const scope = usage.tasks > 1 ? 'This task and its subtasks' : 'This task';
  return (
    <p className="muted" data-testid="branch-usage" title={`Sessions: ${usage.sessions.length}`}>
      {scope}: {branchUsageLine(usage)}
    </p>
  );
}
