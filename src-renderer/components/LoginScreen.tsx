// Shown in a browser without a web session: how to get a login link, or paste an invite.
import { useState, type FormEvent } from 'react';
import { appSession } from '../hub/appSession.js';
import { logIn } from '../hub/connection.js';
import { useApp } from '../state/store.js';

export function LoginScreen() {
  const detail = useApp((state) => state.ui.connectionDetail);
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
        <p>On the machine that runs the hub, run</p>
        <pre>switchboard open</pre>
        <p>and open the one-time link it prints. The link works once, for a minute.</p>
        <form onSubmit={(event) => void submit(event)}>
          <label>
            Or paste an invite token
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
