// A pane's attach controls: Observe / Co-drive, the input lease (request, take over, grant, hand over,
// release), who holds it by name, everyone attached with their name and role (the owner may kick),
// interrupt, search and close.
import type { PresenceEntry } from '../../src-protocol/index.js';
import { paneHost } from '../hub/paneHosts.js';
import { hubStateOf, LOCAL_HUB, paneRef } from '../state/hubs.js';
import { paneMode, useApp } from '../state/store.js';
import { PaneOverflow } from './PaneOverflow.js';
import { StatusBadge } from './StatusBadge.js';
import { EndedBar } from '../sessions/EndedBar.js';
import { SessionMenu } from '../sessions/SessionMenu.js';

const EMPTY: PresenceEntry[] = [];
const shortId = (clientId: string) => clientId.replace(/^c-/, '').slice(0, 4);

function personName(clientId: string | null, presence: PresenceEntry[], self: string | undefined): string {
  if (clientId === null) return 'nobody';
  if (clientId === self) return 'you';
  const entry = presence.find((candidate) => candidate.clientId === clientId);
  return entry ? label(entry) : shortId(clientId);
}

/** A person as others see them: the invite's name (or `owner`) and the client they use. */
function label(entry: PresenceEntry): string {
  return entry.name ? `${entry.name} · ${entry.client}` : `${entry.client} ${shortId(entry.clientId)}`;
}

/** A pane of a joined hub that is gone: its name, why, and close; no controls that would only fail. */
function GoneBar({ name, why, close }: { name: string; why: string; close: () => void }) {
  return (
    <header className="pane-bar" data-testid="attach-bar">
      <span className="pane-title">
        <strong>{name}</strong>
      </span>
      <span className="pane-status" data-testid="pane-gone">
        Disconnected: {why}
      </span>
      <span className="pane-tools">
        <button type="button" className="small" title="Close pane" aria-label="Close pane" onClick={close}>
          ×
        </button>
      </span>
    </header>
  );
}

/** `pane` is the pane's key (state/hubs.ts); `session` the session id on the pane's hub. */
export function AttachBar({ session: pane, onActivity }: { session: string; onActivity?: () => void }) {
  const { hub: hubId, session } = paneRef(pane);
  const info = useApp((state) => hubStateOf(state, hubId).sessions[session]);
  const mode = useApp((state) => paneMode(state, pane));
  const attachment = useApp((state) => hubStateOf(state, hubId).attachments[session]);
  const lease = useApp((state) => hubStateOf(state, hubId).leases[session]);
  const presence = useApp((state) => hubStateOf(state, hubId).presence[session] ?? EMPTY);
  const self = useApp((state) => hubStateOf(state, hubId).self);
  const status = useApp((state) => state.ui.paneStatus[pane]);
  /** Why a joined hub this pane belongs to let go of the window (its last screen stays until closed). */
  const gone = useApp((state) =>
    state.remotes[hubId]?.status === 'gone' ? state.remotes[hubId].detail : undefined,
  );
  const { closePane, hint, setUi } = useApp.getState();
  const role = attachment?.role;
  const holder = lease?.holder ?? null;
  const pending = lease?.pending ?? [];
  const mine = holder !== null && holder === self?.clientId;
  const isOwner = self?.role === 'owner';
  const run = (action: () => Promise<unknown>) => () =>
    void action().catch((error: unknown) =>
      hint(pane, error instanceof Error ? error.message : String(error)),
    );
  const host = () => {
    const found = paneHost(hubId);
    if (!found) throw new Error('That hub is no longer connected.');
    return found;
  };
  const hub = () => host().hub;
  const close = () => {
    paneHost(hubId)?.releaseController(session);
    closePane(pane);
  };
  const people = (
    <ul className="presence" aria-label="Attached" data-testid="presence">
      {presence.map((entry) => (
        <li
          key={entry.clientId}
          className={`person role-${entry.role}`}
          title={`${entry.client} ${entry.clientId} · ${entry.role}`}
        >
          {entry.clientId === self?.clientId ? 'you' : label(entry)}
          <span className="role">{entry.role}</span>
          {isOwner && entry.role !== 'owner' && entry.clientId !== self?.clientId ? (
            <button
              type="button"
              className="kick"
              title={`Disconnect ${entry.name ?? entry.clientId}`}
              aria-label={`Kick ${entry.name ?? entry.clientId}`}
              onClick={run(() => hub().kick(entry.clientId))}
            >
              ×
            </button>
          ) : null}
        </li>
      ))}
    </ul>
  );
  const secondary = (
    <>
      {isOwner && onActivity ? (
        <button type="button" className="small" title="Who attached and typed" onClick={onActivity}>
          Activity
        </button>
      ) : null}
      <button
        type="button"
        className="small"
        title="Search (Ctrl+Shift+F)"
        onClick={() => setUi({ searchOpen: true })}
      >
        ⌕
      </button>
    </>
  );
  if (gone !== undefined)
    return <GoneBar name={info?.name ?? session.slice(0, 8)} why={gone} close={close} />;
  const ownHub = isOwner && hubId === LOCAL_HUB;
  if (info?.status === 'ended') return <EndedBar session={info} canRestart={ownHub} close={close} />;
  return (
    <header className="pane-bar" data-testid="attach-bar">
      <span className="pane-title">
        {info ? <StatusBadge status={info.status} compact /> : null}
        <strong>{info?.name ?? session.slice(0, 8)}</strong>
      </span>
      <div className="segmented" role="group" aria-label="Attach mode">
        <button
          type="button"
          aria-pressed={mode === 'observe'}
          className={mode === 'observe' ? 'on' : ''}
          onClick={() => void paneHost(hubId)?.setMode(session, 'observe')}
          disabled={self?.role === 'observer'}
        >
          Observe
        </button>
        <button
          type="button"
          aria-pressed={mode === 'drive'}
          className={mode === 'drive' ? 'on' : ''}
          onClick={() => void paneHost(hubId)?.setMode(session, 'drive')}
          disabled={self?.role === 'observer'}
        >
          Co-drive
        </button>
      </div>
      <span
        className="lease"
        data-testid="lease-holder"
        title={
          pending.length > 0
            ? `Waiting: ${pending.map((id) => personName(id, presence, self?.clientId)).join(', ')}`
            : 'Input lease: who may type now'
        }
      >
        <span className="lease-label">lease: </span>
        <b>{personName(holder, presence, self?.clientId)}</b>
        {pending.length > 0 ? <span className="pending"> · {pending.length} waiting</span> : null}
      </span>
      {role === 'driver' && !mine ? (
        <button type="button" className="small" onClick={run(() => hub().leaseRequest(session))}>
          Request control
        </button>
      ) : null}
      {role === 'owner' && holder !== null && !mine ? (
        <button type="button" className="small" onClick={run(() => hub().leaseTake(session))}>
          Take over
        </button>
      ) : null}
      {isOwner && role === 'owner' && pending[0] ? (
        <button type="button" className="small" onClick={run(() => hub().leaseGrant(session, pending[0]!))}>
          Grant to {personName(pending[0], presence, self?.clientId)}
        </button>
      ) : null}
      {mine && role !== 'owner' && pending[0] ? (
        <span className="lease-request" role="alert" data-testid="lease-request">
          {personName(pending[0], presence, self?.clientId)} asks for control{' '}
          <button type="button" className="small" onClick={run(() => hub().leaseGrant(session, pending[0]!))}>
            Hand over
          </button>
        </span>
      ) : null}
      {mine ? (
        <button type="button" className="small" onClick={run(() => hub().leaseRelease(session))}>
          Release
        </button>
      ) : null}
      <span className="wide-only presence-wide">{people}</span>
      <span
        className="presence-count narrow-only"
        title={`Attached: ${presence.map((entry) => (entry.clientId === self?.clientId ? 'you' : label(entry))).join(', ')}`}
      >
        ◉ {presence.length}
      </span>
      <span className="pane-status">{status && status !== 'live' ? status : ''}</span>
      <span className="pane-tools">
        {role && role !== 'observer' ? (
          <button
            type="button"
            className="small"
            title="Send Ctrl-C"
            onClick={run(() => hub().interrupt(session))}
          >
            ^C
          </button>
        ) : null}
        <span className="wide-only">{secondary}</span>
        {/* One "⋯" per header: in a narrow pane the session's actions sit inside the "More" menu. */}
        <PaneOverflow label="More: who is attached, activity, search, session actions">
          {people}
          {secondary}
          {ownHub && info ? <SessionMenu session={info} label="Session actions…" /> : null}
        </PaneOverflow>
        {ownHub && info ? (
          <span className="wide-only">
            <SessionMenu session={info} />
          </span>
        ) : null}
        <button
          type="button"
          className="small"
          title="Close pane (detach)"
          aria-label="Close pane"
          onClick={close}
        >
          ×
        </button>
      </span>
    </header>
  );
}
