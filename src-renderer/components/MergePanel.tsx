// What a task changed in its worktree, and the buttons that bring it back: merge, rebase or discard.
// Discarding asks first, and asks again (forcing) only when the hub refuses to delete uncommitted work.
// The task inspector merges through `worktree.merge`; the inbox's review items answer their item instead.
import { useEffect, useRef, useState } from 'react';
import { HubError, type TaskInfo } from '../../src-protocol/index.js';
import { appSession, type MergeMode } from '../hub/appSession.js';

type Diff = NonNullable<NonNullable<TaskInfo['result']>['diff']>;

/** What a merge, rebase or discard came to, in the hub's words. */
export interface MergeOutcome {
  outcome?: 'merged' | 'rebased' | 'discarded' | 'conflict' | undefined;
  message: string;
  conflicts?: string[];
}

export interface MergePanelProps {
  task: string;
  diff: Diff;
  canMerge: boolean;
  /** How to carry out an action; by default `worktree.merge` for the task. */
  perform?: (mode: MergeMode, force: boolean) => Promise<MergeOutcome>;
  /** A key pressed elsewhere (the Inbox panel's m, b, x): each new serial runs its mode once. */
  keyRequest?: { mode: MergeMode; serial: number } | undefined;
}

export function diffText(diff: Diff): string {
  const files = diff.files === 1 ? '1 file' : `${diff.files} files`;
  return `${files} changed, +${diff.insertions} −${diff.deletions}`;
}

export function MergePanel({ task, diff, canMerge, perform, keyRequest }: MergePanelProps) {
  const [busy, setBusy] = useState<MergeMode | null>(null);
  const [outcome, setOutcome] = useState<MergeOutcome | null>(null);
  const [error, setError] = useState('');
  const [confirming, setConfirming] = useState<'discard' | 'force' | null>(null);

  const run = (mode: MergeMode, force = false) => {
    setBusy(mode);
    setError('');
    setConfirming(null);
    (perform ?? ((how: MergeMode, forced: boolean) => appSession.mergeTask(task, how, forced)))(mode, force)
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
  const serial = keyRequest?.serial;
  // The serial seen at mount is an old press (the item was selected again): only new ones run.
  const handled = useRef(serial);
  useEffect(() => {
    if (!keyRequest || serial === handled.current) return;
    handled.current = serial;
    if (!canMerge || settled || busy !== null) return;
    if (keyRequest.mode === 'discard') setConfirming('discard');
    else run(keyRequest.mode);
    // Runs once per key press (its serial), not when the other values change.
  }, [serial]);
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
          {outcome.conflicts && outcome.conflicts.length > 0 ? (
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
