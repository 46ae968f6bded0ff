// The supervisor: sessions on the left, terminal panes or the delegation graph in the middle, the task
// inspector and notifications on the right. One bundle for the desktop app and LAN browsers.
import { useEffect } from 'react';
import { ConnectHubDialog } from './components/ConnectHubDialog.js';
import { GraphView } from './components/GraphView.js';
import { JoinPrompts } from './components/JoinPrompts.js';
import { LoginScreen } from './components/LoginScreen.js';
import { NewSessionDialog } from './components/NewSessionDialog.js';
import { ShareDialog } from './components/ShareDialog.js';
import { NoticesPanel, useBrowserNotifications } from './components/NoticesPanel.js';
import { Sidebar } from './components/Sidebar.js';
import { TaskInspector } from './components/TaskInspector.js';
import { TopBar } from './components/TopBar.js';
import { Workspace } from './components/Workspace.js';
import { appSession } from './hub/appSession.js';
import { InboxPanel } from './inbox/InboxPanel.js';
import { useInbox } from './inbox/inboxStore.js';
import { bridge, logIn, takeLoginTicket } from './hub/connection.js';
import { paneHost } from './hub/paneHosts.js';
import { handleShortcut } from './shortcuts.js';
import { LOCAL_HUB, paneRef } from './state/hubs.js';
import { pruneLayout } from './state/layout.js';
import { useApp } from './state/store.js';
import './hub/hubDown.css';

let booted: Promise<void> | undefined;

/** Logs in with a ticket from the address bar, if there is one, then connects (once per page). */
async function boot(): Promise<void> {
  const ticket = takeLoginTicket();
  if (ticket) {
    try {
      await logIn(ticket);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      // Without a web session there is nothing to connect with; the login screen says what to do.
      return useApp.getState().setUi({ connection: 'login', connectionDetail: detail });
    }
  }
  appSession.start();
}

function useDesktopEvents(): void {
  useEffect(() => {
    const desktop = bridge();
    if (!desktop) return;
    const stops = [
      desktop.onFocusSession((session) => useApp.getState().showPane(session)),
      desktop.onNewSession(() => useApp.getState().setUi({ dialog: 'new-session' })),
      desktop.onOpenInbox(() => useInbox.getState().setOpen(true)),
    ];
    return () => stops.forEach((stop) => stop());
  }, []);
}

/**
 * Panes of sessions that were removed close themselves: this hub's while it is connected, a joined hub's
 * while that one is (a hub that sent this window away keeps its panes' last screens until it is removed).
 */
function usePanePruning(): void {
  const sessions = useApp((state) => state.hub.sessions);
  const remotes = useApp((state) => state.remotes);
  const connection = useApp((state) => state.ui.connection);
  useEffect(() => {
    const stays = (key: string) => {
      const { hub, session } = paneRef(key);
      if (hub === LOCAL_HUB) return connection !== 'open' || session in sessions;
      const remote = remotes[hub];
      return remote !== undefined && (remote.status !== 'open' || session in remote.hub.sessions);
    };
    const { layout } = useApp.getState().ui;
    const gone = layout.open.filter((key) => !stays(key));
    if (gone.length === 0) return;
    for (const key of gone) {
      const { hub, session } = paneRef(key);
      paneHost(hub)?.releaseController(session);
    }
    useApp.getState().setUi({ layout: pruneLayout(layout, stays) });
  }, [sessions, remotes, connection]);
}

export function App() {
  const connection = useApp((state) => state.ui.connection);
  const detail = useApp((state) => state.ui.connectionDetail);
  const theme = useApp((state) => state.ui.theme);
  const view = useApp((state) => state.ui.view);
  const dialog = useApp((state) => state.ui.dialog);
  const selectedTask = useApp((state) => state.ui.selectedTask);
  const noticesOpen = useApp((state) => state.ui.noticesOpen);

  useEffect(() => void (booted ??= boot()), []);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    appSession.applyTheme();
  }, [theme]);
  useEffect(() => {
    window.addEventListener('keydown', handleShortcut, true);
    return () => window.removeEventListener('keydown', handleShortcut, true);
  }, []);
  useDesktopEvents();
  useBrowserNotifications();
  usePanePruning();

  if (connection === 'login') return <LoginScreen />;
  return (
    <div className={`app${connection === 'closed' ? ' hub-down' : ''}`}>
      <TopBar />
      <div className="body">
        <Sidebar />
        <main className="main">
          <Workspace shown={view === 'terminals'} />
          {view === 'graph' ? <GraphView /> : null}
        </main>
        {selectedTask ? <TaskInspector task={selectedTask} /> : null}
        {noticesOpen ? <NoticesPanel /> : null}
        <InboxPanel />
      </div>
      {dialog === 'new-session' ? <NewSessionDialog /> : null}
      {dialog === 'share' ? <ShareDialog /> : null}
      {dialog === 'connect-hub' ? <ConnectHubDialog /> : null}
      <JoinPrompts />
      {connection !== 'open' ? (
        <div className="banner" role="status" data-testid="connection-banner">
          {connection === 'connecting' ? 'Connecting to the hub…' : detail}
        </div>
      ) : null}
    </div>
  );
}
