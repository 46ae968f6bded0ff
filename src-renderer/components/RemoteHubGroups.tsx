// The sidebar's groups of hubs joined with an invite link: each under its hub's name, with this window's
// role there, its sessions, and why it is gone when it is (revoked, kicked, stopped, unreachable).
import { remoteHubs } from '../hub/remoteHubs.js';
import type { RemoteHub } from '../state/hubs.js';
import { paneKey } from '../state/hubs.js';
import { useApp } from '../state/store.js';
import { SessionRow } from './SessionRow.js';

function RemoteGroup({ remote, focused }: { remote: RemoteHub; focused: string | null }) {
  const sessions = Object.values(remote.hub.sessions).sort((a, b) => a.name.localeCompare(b.name));
  const role = remote.hub.self?.role;
  return (
    <section className="group remote-hub" data-testid={`hub-${remote.name}`} data-status={remote.status}>
      <h3 title={remote.origin}>
        <span className="group-name">{remote.name}</span>
        <span className="group-path">
          {remote.origin}
          {role ? ` · ${role}` : ''}
        </span>
        <button
          type="button"
          className="link"
          onClick={() => remoteHubs.leave(remote.id)}
          title="Disconnect from this hub and close its panes"
        >
          {remote.status === 'gone' ? 'remove' : 'leave'}
        </button>
      </h3>
      {remote.status === 'gone' ? (
        <p className="error" role="alert" data-testid="hub-gone">
          {remote.detail}
        </p>
      ) : null}
      {remote.status === 'open' && sessions.length === 0 ? (
        <p className="empty">This invite reaches no session yet.</p>
      ) : null}
      <ul>
        {sessions.map((session) => (
          <SessionRow
            key={session.id}
            session={session}
            hub={remote.id}
            owner={false}
            active={paneKey(remote.id, session.id) === focused}
          />
        ))}
      </ul>
    </section>
  );
}

export function RemoteHubGroups({ focused }: { focused: string | null }) {
  const remotes = useApp((state) => state.remotes);
  return (
    <>
      {Object.values(remotes).map((remote) => (
        <RemoteGroup key={remote.id} remote={remote} focused={focused} />
      ))}
    </>
  );
}
