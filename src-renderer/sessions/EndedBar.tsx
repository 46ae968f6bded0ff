// An ended session's pane bar (issue 13): it says the session ended and how, and offers Restart (the
// owner, on the window's own hub) and Close instead of Observe / Co-drive / ^C, which could only fail.
import { useState } from 'react';
import type { SessionInfo } from '../../src-protocol/index.js';
import { StatusBadge } from '../components/StatusBadge.js';
import { sessionActions } from './sessionActions.js';
import { SessionMenu } from './SessionMenu.js';
import './sessions.css';

const how = (session: SessionInfo) =>
  session.signal !== null
    ? `signal ${session.signal}`
    : session.exitCode !== null
      ? `exit code ${session.exitCode}`
      : 'before this hub started';

export function EndedBar(props: { session: SessionInfo; canRestart: boolean; close: () => void }) {
  const { session, canRestart, close } = props;
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const restart = () => {
    setBusy(true);
    sessionActions.restart(session.id).then(
      () => setBusy(false),
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  return (
    <header className="pane-bar" data-testid="attach-bar">
      <span className="pane-title">
        <StatusBadge status={session.status} compact />
        <strong>{session.name}</strong>
      </span>
      <span className="pane-status pane-ended" data-testid="pane-ended">
        Ended ({how(session)}); its last screen stays.
      </span>
      {error ? (
        <span className="error" role="alert">
          {error}
        </span>
      ) : null}
      <span className="pane-tools">
        {canRestart && !session.worker ? (
          <button type="button" className="small" disabled={busy} onClick={restart} title="Start it again">
            Restart
          </button>
        ) : null}
        {canRestart ? <SessionMenu session={session} /> : null}
        <button type="button" className="small" title="Close pane" onClick={close}>
          Close
        </button>
      </span>
    </header>
  );
}
