// One session in the sidebar: status, kind, branch, who is attached, watch (an ended one: open, restart),
// and the owner's ⋯ menu (rename, restart, duplicate, kill with a confirmation; issue 13) on the window's
// own hub only. Rows of hubs joined with a link open panes keyed by that hub (state/hubs.ts).
import { usageDetail, type SessionInfo } from '../../src-protocol/index.js';
import { hubStateOf, LOCAL_HUB, paneKey } from '../state/hubs.js';
import { useApp } from '../state/store.js';
import { workerPlace } from '../graph/workerPlace.js';
import { BranchChip } from './BranchChip.js';
import { StatusBadge } from './StatusBadge.js';
import { SessionMenu } from '../sessions/SessionMenu.js';
import { sessionActions } from '../sessions/sessionActions.js';

/**
 * The row's tooltip: what runs and where, and for a Claude session its token use in full (model, input,
 * output, cache, estimate, context). A Claude session's arguments are the hub's long launch profile.
 */
export function rowTitle(session: SessionInfo): string {
  const what = session.kind === 'claude' ? 'claude' : [session.command, ...session.args].join(' ');
  return [what, session.cwd, ...(session.usage ? [usageDetail(session.usage)] : [])].join('\n');
}

export function SessionRow(props: { session: SessionInfo; active: boolean; owner: boolean; hub?: string }) {
  const { session, active, owner } = props;
  const hub = props.hub ?? LOCAL_HUB;
  const key = paneKey(hub, session.id);
  const showPane = useApp((state) => state.showPane);
  const presence = useApp((state) => hubStateOf(state, hub).presence[session.id]);
  const who = presence?.map((entry) => `${entry.client} (${entry.role})`).join(', ');
  const ended = session.status === 'ended';
  const mine = owner && hub === LOCAL_HUB;
  return (
    <li
      className={`session-row${active ? ' active' : ''}`}
      data-session={session.id}
      data-testid={`session-${session.name}`}
      onClick={() => showPane(key)}
      title={rowTitle(session)}
    >
      <StatusBadge status={session.status} compact />
      <span className="session-name">{session.name}</span>
      <span className="session-kind">
        {session.kind === 'claude' ? 'claude' : 'cmd'}
        {session.worker ? (
          <span title={workerPlace(session.worker).title}>
            {session.worker.runtime === 'kubernetes' ? ` · ${workerPlace(session.worker).text}` : ' · worker'}
          </span>
        ) : null}
      </span>
      <span className="session-status">{session.status}</span>
      {session.worktree ? (
        <span className="session-branch">
          <BranchChip branch={session.worktree.branch} dirty={session.worktree.dirty} />
        </span>
      ) : null}
      {/* An ended session has nobody to type to: those attached only look at its last screen (a pane of
          this window among them), so the row counts no one. */}
      {session.clients > 0 && !ended ? (
        <span className="session-clients" title={who ? `Attached: ${who}` : `${session.clients} attached`}>
          ◉ {session.clients}
        </span>
      ) : null}
      <span className="session-actions">
        {ended ? (
          <>
            <button
              type="button"
              className="link"
              onClick={(event) => {
                event.stopPropagation();
                showPane(key);
              }}
              title="Open its last screen"
            >
              open
            </button>
            {mine && !session.worker ? (
              <button
                type="button"
                className="link"
                onClick={(event) => {
                  event.stopPropagation();
                  void sessionActions.restart(session.id).catch(() => showPane(key));
                }}
                title="Start it again: same command, directory and name"
              >
                restart
              </button>
            ) : null}
          </>
        ) : (
          <button
            type="button"
            className="link"
            onClick={(event) => {
              event.stopPropagation();
              showPane(key, 'observe');
            }}
            title="Open and only watch"
          >
            watch
          </button>
        )}
        {mine ? <SessionMenu session={session} /> : null}
      </span>
    </li>
  );
}
