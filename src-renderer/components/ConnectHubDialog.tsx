// "Connect to a hub…": paste an invite link from another hub's owner; that hub's sessions then show in the
// sidebar under its name. The desktop app pins the link's certificate; a browser checks it its own way.
import { useState, type FormEvent } from 'react';
import { bridge } from '../hub/connection.js';
import { remoteHubs } from '../hub/remoteHubs.js';
import { useApp } from '../state/store.js';

export function ConnectHubDialog() {
  const setUi = useApp((state) => state.setUi);
  const [link, setLink] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const close = () => setUi({ dialog: null });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError('');
    try {
      await remoteHubs.connect(link);
      close();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="backdrop" onMouseDown={(event) => event.target === event.currentTarget && close()}>
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="connect-hub-title"
        data-testid="connect-hub-dialog"
        onSubmit={(event) => void submit(event)}
        onKeyDown={(event) => event.key === 'Escape' && close()}
      >
        <h2 id="connect-hub-title">Connect to a hub</h2>
        <label>
          Invite link
          <input
            autoFocus
            value={link}
            onChange={(event) => setLink(event.target.value)}
            placeholder="https://ADDR:PORT/ui/#invite=…&fp=…"
            aria-label="Invite link"
            spellCheck={false}
          />
        </label>
        <p className="muted">
          {bridge()
            ? 'The link from `switchboard invite` on the other machine. The app checks that hub’s certificate against the link’s fp= before sending anything.'
            : 'The link from `switchboard invite` on the other machine. This browser checks that hub’s certificate; if it does not trust it yet, open the hub’s address once and compare its SHA-256 fingerprint with the link’s fp=.'}
        </p>
        {busy ? (
          <p className="muted">Connecting… (an invite that needs approval waits for its owner)</p>
        ) : null}
        {error ? (
          <p className="error" role="alert" data-testid="connect-hub-error">
            {error}
          </p>
        ) : null}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || link.trim() === ''}>
            Connect
          </button>
        </div>
      </form>
    </div>
  );
}
