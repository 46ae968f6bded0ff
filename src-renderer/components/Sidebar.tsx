// Sessions grouped by directory, with live status badges, who is attached, and per-session actions; below
// them, the sessions of hubs joined with an invite link, one group per hub ("Connect to a hub…").
import { sessionsByDirectory } from '../state/hubState.js';
import { focusedPane } from '../state/layout.js';
import { usePanels } from '../state/panelLayout.js';
import { useApp } from '../state/store.js';
import { KEYS, keysHere } from '../shortcuts.js';
import { RemoteHubGroups } from './RemoteHubGroups.js';
import { SessionRow } from './SessionRow.js';
import { SidebarRail, SidebarToggle, useSidebarFollowsViewport } from './SidebarRail.js';

const baseName = (path: string) => path.split('/').filter(Boolean).at(-1) ?? path;

export function Sidebar() {
  const sessions = useApp((state) => state.hub.sessions);
  const owner = useApp((state) => state.hub.self?.role === 'owner');
  const focused = useApp((state) => focusedPane(state.ui.layout));
  const setUi = useApp((state) => state.setUi);
  const collapsed = usePanels((state) => state.sidebarCollapsed);
  useSidebarFollowsViewport();
  if (collapsed) return <SidebarRail focused={focused} />;
  const groups = sessionsByDirectory(sessions);
  return (
    <aside className="sidebar" aria-label="Sessions" data-testid="sidebar">
      <div className="sidebar-head">
        <SidebarToggle />
        <h2>Sessions</h2>
        {owner ? (
          <button
            type="button"
            className="primary small"
            onClick={() => setUi({ dialog: 'new-session' })}
            title={`New session (${keysHere(KEYS.newSession)})`}
          >
            + New
          </button>
        ) : null}
      </div>
      {groups.length === 0 ? <p className="empty">No sessions yet. Start one with “+ New”.</p> : null}
      {groups.map(([cwd, members]) => (
        <section key={cwd} className="group">
          <h3 title={cwd}>
            <span className="group-name">{baseName(cwd)}</span>
            <span className="group-path">{cwd}</span>
          </h3>
          <ul>
            {members.map((session) => (
              <SessionRow key={session.id} session={session} active={session.id === focused} owner={owner} />
            ))}
          </ul>
        </section>
      ))}
      <RemoteHubGroups focused={focused} />
      <button
        type="button"
        className="small connect-hub"
        onClick={() => setUi({ dialog: 'connect-hub' })}
        title="Join another hub with an invite link from its owner"
      >
        Connect to a hub…
      </button>
    </aside>
  );
}
