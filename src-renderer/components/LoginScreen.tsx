// Shown in a browser without a web session: how to get a login link, or paste an invite.
import { useState, type FormEvent } from 'react';
import { appSession } from '../hub/appSession.js';
import { logIn } from '../hub/connection.js';
import { useApp } from '../state/store.js';

export function LoginScreen() {
  const detail = useApp((state) => state.ui.connectionDetail);
  const kicked = useApp((state) => state.ui.sentAway === 'kicked');
  const [invite, setInvite] = useState('');
  const [error, setError] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await logIn(invite.trim());
      appSession.reconnectNow();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <div className="login" data-testid="login">
      <div className="login-card">
        <h1>Switchboard</h1>
        <p>This browser is not logged in to the hub.</p>
        {detail ? (
          <p className="error" role="alert">
            {detail}
          </p>
        ) : null}
        <p data-testid="invitee-help">
          <strong>Invited by someone?</strong> Open the invite link they sent you: it logs this browser in by
          itself. A link that no longer works has expired or been revoked; ask them for a new one.
        </p>
        <p>
          <strong>The hub&apos;s owner</strong>, on the hub&apos;s own machine: run{' '}
          <code>switchboard open</code> and open the one-time link it prints (it works once, for a minute).
        </p>
        {kicked ? (
          <button type="button" onClick={() => appSession.reconnectNow()}>
            Reconnect
          </button>
        ) : null}
        <form onSubmit={(event) => void submit(event)}>
          <label>
            Or paste an invite token (the part of your link after <code>invite=</code>)
            <input
              value={invite}
              onChange={(event) => setInvite(event.target.value)}
              placeholder="sbi_…"
              autoComplete="off"
            />
          </label>
          <button type="submit" className="primary" disabled={!invite.trim()}>
            Join
          </button>
        </form>
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
