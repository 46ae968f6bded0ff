// The top bar: views, grid size, notifications, theme, renderer, keyboard help, connection state.
import { appSession } from '../hub/appSession.js';
import { bridge, logOut } from '../hub/connection.js';
import { InboxButton } from '../inbox/InboxButton.js';
import type { GridSize } from '../state/layout.js';
import { persist, useApp, type ConnectionState } from '../state/store.js';
import { ShortcutsHelp } from './ShortcutsHelp.js';

const GRIDS: GridSize[] = [1, 2, 4];

/** The connection's state in words (the banner says the rest), not the socket's state names. */
const CONNECTION_WORDS: Record<ConnectionState, string> = {
  open: 'connected',
  connecting: 'connecting…',
  closed: 'offline',
  login: 'logged out',
};

/** Drawn, not an emoji: many Linux machines have no colour emoji font. */
function BellIcon() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

export function TopBar() {
  const view = useApp((state) => state.ui.view);
  const grid = useApp((state) => state.ui.layout.grid);
  const unread = useApp((state) => state.hub.unreadNotices);
  const theme = useApp((state) => state.ui.theme);
  const webgl = useApp((state) => state.ui.webgl);
  const connection = useApp((state) => state.ui.connection);
  const self = useApp((state) => state.hub.self);
  const noticesOpen = useApp((state) => state.ui.noticesOpen);
  const { setUi, setGrid } = useApp.getState();
  return (
    <header className="topbar">
      <span className="brand">Switchboard</span>
      <div className="segmented" role="group" aria-label="View">
        <button
          type="button"
          className={view === 'terminals' ? 'on' : ''}
          aria-pressed={view === 'terminals'}
          onClick={() => setUi({ view: 'terminals' })}
        >
          Terminals
        </button>
        <button
          type="button"
          className={view === 'graph' ? 'on' : ''}
          aria-pressed={view === 'graph'}
          onClick={() => setUi({ view: 'graph' })}
        >
          Delegation graph
        </button>
      </div>
      {view === 'terminals' ? (
        <div className="segmented" role="group" aria-label="Grid">
          {GRIDS.map((size) => (
            <button
              key={size}
              type="button"
              className={grid === size ? 'on' : ''}
              aria-pressed={grid === size}
              onClick={() => setGrid(size)}
              title={`${size} pane${size > 1 ? 's' : ''}`}
            >
              {size === 1 ? '▣' : size === 2 ? '◫' : '⊞'}
            </button>
          ))}
        </div>
      ) : null}
      <span className="spacer" />
      {self?.role === 'owner' ? (
        <button
          type="button"
          onClick={() => setUi({ dialog: 'share' })}
          title="Invite someone to watch or co-drive"
        >
          Share
        </button>
      ) : null}
      <span
        className={`connection connection-${connection}`}
        title={connection === 'open' ? `connected as ${self?.role ?? ''}` : CONNECTION_WORDS[connection]}
        data-testid="connection"
      >
        {connection === 'open' ? `${self?.role ?? ''}` : CONNECTION_WORDS[connection]}
      </span>
      <InboxButton />
      <button
        type="button"
        className={`bell${noticesOpen ? ' on' : ''}`}
        onClick={() => setUi({ noticesOpen: !noticesOpen })}
        aria-label="Notifications"
        data-testid="bell"
      >
        <BellIcon />
        {unread > 0 ? (
          <span className="badge" data-testid="unread">
            {unread}
          </span>
        ) : null}
      </button>
      <button
        type="button"
        onClick={() => {
          const next = theme === 'dark' ? 'light' : 'dark';
          persist('theme', next);
          setUi({ theme: next });
        }}
        title="Light / dark (Ctrl+Shift+L)"
        aria-label="Toggle theme"
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <button
        type="button"
        className={webgl ? 'on' : ''}
        title="GPU (WebGL) rendering for visible panes"
        onClick={() => {
          persist('webgl', webgl ? '0' : '1');
          setUi({ webgl: !webgl });
          appSession.applyRenderer();
        }}
      >
        GPU
      </button>
      <ShortcutsHelp />
      {!bridge() ? (
        <button
          type="button"
          title="Log this browser out"
          onClick={() => void logOut().then(() => window.location.reload())}
        >
          Log out
        </button>
      ) : null}
    </header>
  );
}
