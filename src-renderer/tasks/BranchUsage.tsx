// "This task and its subtasks: 1.2M tokens, about $3.10" (issue 13 #6), from the sessions that worked on
// the branch; nothing while none of them has reported token use.
import { branchUsage, branchUsageLine } from '../../src-protocol/index.js';
import { useApp } from '../state/store.js';

export function BranchUsage({ task }: { task: string }) {
  const tasks = useApp((state) => state.hub.tasks);
  const sessions = useApp((state) => state.hub.sessions);
  const usage = branchUsage(task, Object.values(tasks), sessions);
  if (usage.tokens === 0) return null;
  const scope = usage.tasks > 1 ? 'This task and its subtasks' : 'This task';
  return (
    <p className="muted" data-testid="branch-usage" title={`Sessions: ${usage.sessions.length}`}>
      {scope}: {branchUsageLine(usage)}
    </p>
  );
}
