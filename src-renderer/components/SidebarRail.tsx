// The collapsed sidebar (issue 13 item 7): a narrow rail with the expand button and one status dot per
// session of this hub with a short label distinct among them (railLabels.ts) and the full name as its
// tooltip, which opens it. Collapsed by default below 1000 px; the choice is kept (panelLayout).
import { useEffect } from 'react';
import { sessionsByDirectory } from '../state/hubState.js';
import { NARROW_VIEWPORT_PX, usePanels } from '../state/panelLayout.js';
import { useApp } from '../state/store.js';
import { railLabels } from './railLabels.js';
import { StatusBadge } from './StatusBadge.js';

/** While the person has not chosen, the sidebar follows the viewport across 1000 px. */
export function useSidebarFollowsViewport(): void {
  useEffect(() => {
    const query = window.matchMedia?.(`(max-width: ${NARROW_VIEWPORT_PX - 1}px)`);
    if (!query) return;
    const changed = () => usePanels.getState().viewportChanged(window.innerWidth);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
}

export function SidebarToggle() {
  const collapsed = usePanels((state) => state.sidebarCollapsed);
  const toggle = usePanels((state) => state.toggleSidebar);
  return (
    <button
      type="button"
      className="small sidebar-toggle"
      onClick={toggle}
      aria-expanded={!collapsed}
      aria-label={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
      title={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}
      data-testid="sidebar-toggle"
    >
      {collapsed ? '»' : '«'}
    </button>
  );
}

export function SidebarRail({ focused }: { focused: string | null }) {
  const sessions = useApp((state) => state.hub.sessions);
  const showPane = useApp((state) => state.showPane);
  const ordered = sessionsByDirectory(sessions).flatMap(([, members]) => members);
  const labels = railLabels(ordered.map((session) => session.name));
  return (
    <aside className="sidebar sidebar-rail" aria-label="Sessions" data-testid="sidebar">
      <SidebarToggle />
      <ul>
        {ordered.map((session, index) => (
          <li key={session.id}>
            <button
              type="button"
              className={`rail-session${session.id === focused ? ' active' : ''}`}
              title={`${session.name} · ${session.status}`}
              aria-label={`Open ${session.name}`}
              onClick={() => showPane(session.id)}
            >
              <StatusBadge status={session.status} compact />
              <span className="rail-initial" aria-hidden="true">
                {labels[index]}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
