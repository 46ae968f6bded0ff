// What a task changed in its worktree, and the buttons that bring it back: merge, rebase or discard.
// Discarding asks first, and asks again (forcing) only when the hub refuses to delete uncommitted work.
import { useState } from 'react';
import { HubError, type TaskInfo } from '../../src-protocol/index.js';
import { appSession, type MergeMode, type WorktreeMergeResult } from '../hub/appSession.js';

type Diff = NonNullable<NonNullable<TaskInfo['result']>['diff']>;

export function diffText(diff: Diff): string {
  const files = diff.files === 1 ? '1 file' : `${diff.files} files`;
  return `${files} changed, +${diff.insertions} −${diff.deletions}`;
}

export function MergePanel({ task, diff, canMerge }: { task: string; diff: Diff; canMerge: boolean }) {
  const [busy, setBusy] = useState<MergeMode | null>(null);
  const [outcome, setOutcome] = useState<WorktreeMergeResult | null>(null);
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState<'discard' | 'force' | null>(null);

  const run = (mode: MergeMode, force = false) => {
    setBusy(mode);
    setError('');
    setConfirming(null);
    appSession
      .mergeTask(task, mode, force)
      .then(setOutcome)
      .catch((failure: unknown) => {
        setError(failure instanceof Error ? failure.message : String(failure));
        // The hub refuses to throw away uncommitted work unless asked twice.
        if (
          mode === 'discard' &&
          !force &&
          failure instanceof HubError &&
          failure.code === 'uncommitted_work'
        )
          setConfirming('force');
      })
      .finally(() => setBusy(null));
  };

  const settled = outcome !== null && outcome.outcome !== 'conflict';
  return (
    <section className="merge-panel" data-testid="merge-panel">
      <h3>Changes</h3>
      <p>
        <span className="branch-chip">⎇ {diff.branch}</span>
        <span data-testid="diff-summary">{diffText(diff)}</span>
      </p>
      {canMerge && !settled ? (
        <div className="merge-actions">
          <button
            type="button"
            className="primary small"
            disabled={busy !== null}
            onClick={() => run('merge')}
            title="Commit what is uncommitted on the branch, then merge it into the repository's current branch"
          >
            {busy === 'merge' ? 'Merging…' : 'Merge'}
          </button>
          <button
            type="button"
            className="small"
            disabled={busy !== null}
            onClick={() => run('rebase')}
            title="Rebase the branch onto the repository's current branch, then fast-forward"
          >
            {busy === 'rebase' ? 'Rebasing…' : 'Rebase'}
          </button>
          <button
            type="button"
            className="small danger"
            disabled={busy !== null}
            onClick={() => setConfirming('discard')}
            title="Delete the worktree and its branch"
          >
            Discard…
          </button>
        </div>
      ) : null}
      {confirming ? (
        <div className="merge-confirm" role="alertdialog" aria-label="Discard the branch">
          <p>
            {confirming === 'discard'
              ? `Delete branch ${diff.branch} and its worktree?`
              : 'Delete the uncommitted work too? It cannot be brought back.'}
          </p>
          <button
            type="button"
            className="small danger"
            onClick={() => run('discard', confirming === 'force')}
          >
            {confirming === 'discard' ? 'Discard branch' : 'Discard anyway'}
          </button>
          <button type="button" className="small" onClick={() => setConfirming(null)}>
            Keep it
          </button>
        </div>
      ) : null}
      {outcome ? (
        <div className={`merge-outcome ${outcome.outcome}`} role="status" data-testid="merge-outcome">
          {outcome.message}
          {outcome.conflicts.length > 0 ? (
            <ul className="conflicts" data-testid="conflicts">
              {outcome.conflicts.map((file) => (
                <li key={file}>{file}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
