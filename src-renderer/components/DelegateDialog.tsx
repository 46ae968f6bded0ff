// The graph's delegation form (issue 17): opened by dragging from a node to a session (or to "new session
// in…"), or from the graph's "Delegate…" button. It makes the task as `switchboard delegate` does.
import { useMemo, useState, type FormEvent } from 'react';
import { titleFromSelection, type DelegateDraft } from '../graph/delegateDraft.js';
import { NEW_SESSION_NODE, OWNER_NODE } from '../graph/graphLayout.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';

export function DelegateDialog({ draft, onClose }: { draft: DelegateDraft; onClose: () => void }) {
  const sessions = useApp((state) => state.hub.sessions);
  const targets = Object.values(sessions).filter(
    (session) => session.kind === 'claude' && session.status !== 'ended',
  );
  const directories = useMemo(
    () => [...new Set(Object.values(sessions).map((session) => session.cwd))].reverse(),
    [sessions],
  );
  const source = sessions[draft.from];
  const [to, setTo] = useState(draft.to);
  const [cwd, setCwd] = useState(source?.cwd ?? directories[0] ?? '');
  const [worktree, setWorktree] = useState(false);
  const [title, setTitle] = useState(() => titleFromSelection(appSession.selectedText(draft.from)));
  const [instructions, setInstructions] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!instructions.trim()) return setError('Write the instructions: what the session should do.');
    setBusy(true);
    setError('');
    try {
      await appSession.delegateTask({
        instructions: instructions.trim(),
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(to === NEW_SESSION_NODE ? { cwd: cwd.trim(), ...(worktree ? { worktree: true } : {}) } : { to }),
      });
      onClose();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="delegate-title"
        data-testid="delegate-dialog"
        onSubmit={(event) => void submit(event)}
        onKeyDown={(event) => event.key === 'Escape' && onClose()}
      >
        <h2 id="delegate-title">Delegate a task</h2>
        <p className="muted">
          From you{draft.from !== OWNER_NODE && source ? ` (drawn from ${source.name})` : ''}, as{' '}
          <code>switchboard delegate</code> would.
        </p>
        <label>
          To
          <select name="to" value={to} onChange={(event) => setTo(event.target.value)}>
            {targets.map((session) => (
              <option key={session.id} value={session.id}>
                {session.name}
              </option>
            ))}
            <option value={NEW_SESSION_NODE}>a new Claude session in…</option>
          </select>
        </label>
        {to === NEW_SESSION_NODE ? (
          <>
            <label>
              Directory
              <input
                name="cwd"
                list="delegate-directories"
                value={cwd}
                onChange={(event) => setCwd(event.target.value)}
                required
              />
              <datalist id="delegate-directories">
                {directories.map((directory) => (
                  <option key={directory} value={directory} />
                ))}
              </datalist>
            </label>
            <label className="inline">
              <input
                type="checkbox"
                checked={worktree}
                onChange={(event) => setWorktree(event.target.checked)}
              />{' '}
              in its own git worktree (a new branch)
            </label>
          </>
        ) : null}
        <label>
          Title
          <input
            name="title"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            placeholder="optional: the first line of the instructions"
          />
        </label>
        <label>
          Instructions
          <textarea
            name="instructions"
            rows={5}
            value={instructions}
            onChange={(event) => setInstructions(event.target.value)}
            placeholder="What the session should do, self-contained."
            autoFocus
          />
        </label>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Delegating…' : 'Delegate'}
          </button>
        </div>
      </form>
    </div>
  );
}
