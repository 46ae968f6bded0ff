// Sessions grouped by directory, with live status badges, who is attached, and per-session actions.
import { useState, type MouseEvent } from 'react';
import type { SessionInfo } from '../../src-protocol/index.js';
import { appSession } from '../hub/appSession.js';
import { sessionsByDirectory } from '../state/hubState.js';
import { focusedPane } from '../state/layout.js';
import { useApp } from '../state/store.js';
import { BranchChip } from './BranchChip.js';
import { StatusBadge } from './StatusBadge.js';

const baseName = (path: string) => path.split('/').filter(Boolean).at(-1) ?? path;

function SessionRow({ session, active, owner }: { session: SessionInfo; active: boolean; owner: boolean }) {
  const showPane = useApp((state) => state.showPane);
  const presence = useApp((state) => state.hub.presence[session.id]);
  const [error, setError] = useState('');
  const ended = session.status === 'ended';
  const act = (action: () => Promise<unknown>) => (event: MouseEvent) => {
    event.stopPropagation();
    action().catch((failure: unknown) =>
      setError(failure instanceof Error ? failure.message : String(failure)),
    );
  };
  const who = presence?.map((entry) => `${entry.client} (${entry.role})`).join(', ');
  return (
    <li
      className={`session-row${active ? ' active' : ''}`}
      data-session={session.id}
      data-testid={`session-${session.name}`}
      onClick={() => showPane(session.id)}
      title={`${session.command} ${session.args.join(' ')}\n${session.cwd}`}
    >
      <StatusBadge status={session.status} compact />
      <span className="session-name">{session.name}</span>
      <span className="session-kind">
        {session.kind === 'claude' ? 'claude' : 'cmd'}
        {session.worker ? ' · worker' : ''}
      </span>
      <span className="session-status">{session.status}</span>
      {session.worktree ? (
        <span className="session-branch">
          <BranchChip branch={session.worktree.branch} dirty={session.worktree.dirty} />
        </span>
      ) : null}
      {session.clients > 0 ? (
        <span className="session-clients" title={who ? `Attached: ${who}` : `${session.clients} attached`}>
          ◉ {session.clients}
        </span>
      ) : null}
      <span className="session-actions">
        <button
          type="button"
          className="link"
          onClick={(event) => {
            event.stopPropagation();
            showPane(session.id, 'observe');
          }}
          title="Open and only watch"
        >
          watch
        </button>
        {owner && !ended ? (
          <button
            type="button"
            className="link danger"
            onClick={act(() => appSession.hub.kill(session.id))}
            title="End its processes"
          >
            kill
          </button>
        ) : null}
        {owner && ended ? (
          <button
            type="button"
            className="link"
            onClick={act(() => appSession.hub.remove(session.id))}
            title="Remove from the list"
          >
            remove
          </button>
        ) : null}
      </span>
      {error ? <span className="row-error">{error}</span> : null}
    </li>
  );
}

export function Sidebar() {
  const sessions = useApp((state) => state.hub.sessions);
  const owner = useApp((state) => state.hub.self?.role === 'owner');
  const focused = useApp((state) => focusedPane(state.ui.layout));
  const setUi = useApp((state) => state.setUi);
  const groups = sessionsByDirectory(sessions);
  return (
    <aside className="sidebar" aria-label="Sessions">
      <div className="sidebar-head">
        <h2>Sessions</h2>
        {owner ? (
          <button
            type="button"
            className="primary small"
            onClick={() => setUi({ dialog: 'new-session' })}
            title="New session (Ctrl+Shift+N)"
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
    </aside>
  );
}
