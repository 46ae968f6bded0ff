// The owner's Share dialog (issue 10): the LAN listener (on or off, and where), a form for an invite
// (session, role, name, "ask me before anyone joins", how long), the link to send with its QR code, and the
// live invites with who joined with each, each revocable.
import qrcode from 'qrcode-generator';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { InviteInfo } from '../../src-protocol/index.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';

const TTLS: Array<[string, number]> = [
  ['1 hour', 3600],
  ['8 hours', 8 * 3600],
  ['1 day', 86_400],
  ['7 days', 7 * 86_400],
];

type Listing = Awaited<ReturnType<typeof appSession.hub.listInvites>>;

/** The link as a QR code (a GIF data URL: the page's CSP allows data: images, and no script is involved). */
function qrDataUrl(text: string): string {
  const code = qrcode(0, 'M');
  code.addData(text);
  code.make();
  return code.createDataURL(4, 8);
}

function LanSwitch({ lan, onChanged }: { lan: Listing['lan']; onChanged: () => void }) {
  const [bind, setBind] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const toggle = (on: boolean) => {
    setBusy(true);
    setError('');
    appSession.hub
      .setLan(on, on && bind.trim() ? { bind: bind.trim() } : {})
      .then(onChanged)
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setBusy(false));
  };
  return (
    <div className="lan-switch">
      <p data-testid="lan-status">
        {lan
          ? `On the LAN at ${lan.url} (TLS; certificate fingerprint ${lan.fingerprint}).`
          : 'Not on the LAN: links work on this machine only.'}
      </p>
      {lan ? (
        <button type="button" className="small" disabled={busy} onClick={() => toggle(false)}>
          Stop sharing on the LAN
        </button>
      ) : (
        <span className="lan-on">
          <input
            aria-label="LAN address"
            value={bind}
            onChange={(event) => setBind(event.target.value)}
            placeholder="address (default: this machine's)"
          />
          <button type="button" className="small" disabled={busy} onClick={() => toggle(true)}>
            Share on the LAN
          </button>
        </span>
      )}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

function InviteRows({ invites, onRevoke }: { invites: InviteInfo[]; onRevoke: (id: string) => void }) {
  if (invites.length === 0) return <p className="muted">No live invites.</p>;
  return (
    <ul className="invite-list" data-testid="invite-list">
      {invites.map((invite) => (
        <li key={invite.id}>
          <strong>{invite.name}</strong> · {invite.role} · {invite.session ? 'one session' : 'all sessions'} ·
          until {new Date(invite.expiresAt).toLocaleString()} · {invite.uses} join
          {invite.uses === 1 ? '' : 's'}
          {invite.clients.length > 0
            ? ` · connected: ${invite.clients.map((client) => `${client.client} from ${client.address}`).join(', ')}`
            : ''}{' '}
          <button type="button" className="small" onClick={() => onRevoke(invite.id)}>
            Revoke
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ShareDialog() {
  const sessions = useApp((state) => state.hub.sessions);
  const { setUi } = useApp.getState();
  const [listing, setListing] = useState<Listing | undefined>();
  const [session, setSession] = useState('');
  const [role, setRole] = useState<'observer' | 'driver'>('observer');
  const [name, setName] = useState('');
  const [approve, setApprove] = useState(false);
  const [ttl, setTtl] = useState(3600);
  const [link, setLink] = useState('');
  const [error, setError] = useState('');
  const close = () => setUi({ dialog: null });
  const refresh = useCallback(() => {
    appSession.hub
      .listInvites()
      .then(setListing)
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, []);
  useEffect(refresh, [refresh]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError('');
    try {
      const invite = await appSession.hub.createInvite(role, {
        ttlSeconds: ttl,
        ...(session ? { session } : {}),
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(approve ? { approve } : {}),
      });
      setLink(invite.link);
      refresh();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  const revoke = (id: string) =>
    void appSession.hub
      .revokeInvite(id)
      .then(refresh)
      .catch(() => refresh());

  const lan = listing?.lan;
  return (
    <div className="backdrop" onMouseDown={(event) => event.target === event.currentTarget && close()}>
      <form
        className="dialog share"
        role="dialog"
        aria-modal="true"
        aria-labelledby="share-title"
        onSubmit={(event) => void create(event)}
        onKeyDown={(event) => event.key === 'Escape' && close()}
      >
        <h2 id="share-title">Share</h2>
        {listing ? <LanSwitch lan={lan} onChanged={refresh} /> : null}
        <label>
          Session
          <select value={session} onChange={(event) => setSession(event.target.value)}>
            <option value="">every session</option>
            {Object.values(sessions).map((info) => (
              <option key={info.id} value={info.id}>
                {info.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset className="kind">
          <legend>They may</legend>
          <label>
            <input type="radio" checked={role === 'observer'} onChange={() => setRole('observer')} /> watch
          </label>
          <label>
            <input type="radio" checked={role === 'driver'} onChange={() => setRole('driver')} /> co-drive
            (types as you: give it only to someone you would trust with your account)
          </label>
        </fieldset>
        <label>
          Name
          <input value={name} onChange={(event) => setName(event.target.value)} placeholder="who it is for" />
        </label>
        <label>
          Valid for
          <select value={ttl} onChange={(event) => setTtl(Number(event.target.value))}>
            {TTLS.map(([label, seconds]) => (
              <option key={seconds} value={seconds}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={approve} onChange={(event) => setApprove(event.target.checked)} />{' '}
          Ask me before anyone joins
        </label>
        {link ? (
          <div className="invite-made">
            <label>
              Send this link (shown once)
              <input
                readOnly
                value={link}
                data-testid="invite-link"
                onFocus={(event) => event.target.select()}
              />
            </label>
            <img src={qrDataUrl(link)} alt="The link as a QR code" data-testid="invite-qr" />
          </div>
        ) : null}
        {error ? (
          <p className="error" role="alert">
            {error}
          </p>
        ) : null}
        <h3>Invites</h3>
        {listing ? <InviteRows invites={listing.invites} onRevoke={revoke} /> : null}
        <div className="dialog-actions">
          <button type="button" onClick={close}>
            Close
          </button>
          <button type="submit" className="primary">
            Make a link
          </button>
        </div>
      </form>
    </div>
  );
}
