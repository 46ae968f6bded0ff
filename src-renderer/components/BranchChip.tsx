// The git worktree a session runs in: its branch and how many uncommitted entries it holds.
export function branchDirtyText(dirty: number | null): string {
  if (dirty === null) return '';
  return dirty === 0 ? 'clean' : `${dirty} uncommitted`;
}

export function BranchChip({ branch, dirty }: { branch: string; dirty: number | null }) {
  const state = branchDirtyText(dirty);
  return (
    <span
      className={`branch-chip${dirty ? ' dirty' : ''}`}
      data-testid="branch"
      title={`Runs in a git worktree on branch ${branch}${state ? ` (${state})` : ''}`}
    >
      ⎇ {branch}
      {state ? <span className="branch-state"> · {state}</span> : null}
    </span>
  );
}
