// The task inspector's routing part (issue 17): a queued task re-routes to another Claude session; any
// other re-sends as a linked copy (retry: to the same session, another, or a new one in a directory);
// its routing steps and links. Only the owner sees the controls.
import { useState } from 'react';
import { isFinalTaskStatus, type TaskInfo } from '../../src-protocol/index.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';

const NEW = '__new__';
const SAME = '__same__';
const time = (iso: string) => new Date(iso).toLocaleTimeString();

export function RoutePanel({ task }: { task: TaskInfo }) {
  const sessions = useApp((state) => state.hub.sessions);
  const owner = useApp((state) => state.hub.self?.role === 'owner');
  const { setUi } = useApp.getState();
  const targets = Object.values(sessions).filter(
    (session) => session.kind === 'claude' && session.status !== 'ended' && session.id !== task.fromSession,
  );
  const [target, setTarget] = useState(task.status === 'queued' ? '' : SAME);
  const [cwd, setCwd] = useState(sessions[task.toSession]?.cwd ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const act = (action: () => Promise<unknown>) => {
    setBusy(true);
    setError('');
    action()
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)))
      .finally(() => setBusy(false));
  };
  const history = task.history ?? [];
  const running = task.status === 'running';
  const retry = () =>
    appSession
      .retryTask(task.id, {
        ...(target === NEW ? { cwd: cwd.trim() } : target !== SAME && target !== '' ? { to: target } : {}),
        ...(running ? { force: true } : {}),
      })
      .then((copy) => setUi({ selectedTask: copy.id }));

  return (
    <section className="route-panel" aria-label="Routing">
      {history.length > 0 || task.retryOf || task.retriedAs ? (
        <>
          <h3>Routing</h3>
          <ol className="task-history" data-testid="routing-history">
            {history.map((step, index) => (
              <li key={index}>
                <span className="muted">{time(step.at)}</span> {step.text}
              </li>
            ))}
          </ol>
          {task.retryOf ? (
            <button type="button" className="link" onClick={() => setUi({ selectedTask: task.retryOf! })}>
              the original task
            </button>
          ) : null}{' '}
          {task.retriedAs ? (
            <button type="button" className="link" onClick={() => setUi({ selectedTask: task.retriedAs! })}>
              its copy
            </button>
          ) : null}
        </>
      ) : null}
      {owner && task.status === 'queued' ? (
        <div className="route-row">
          <label>
            Re-route to{' '}
            <select
              aria-label="Re-route to"
              value={target}
              onChange={(event) => setTarget(event.target.value)}
            >
              <option value="">choose a session…</option>
              {targets
                .filter((session) => session.id !== task.toSession)
                .map((session) => (
                  <option key={session.id} value={session.id}>
                    {session.name}
                  </option>
                ))}
            </select>
          </label>
          <button
            type="button"
            disabled={busy || target === ''}
            onClick={() => act(() => appSession.rerouteTask(task.id, target))}
          >
            Re-route
          </button>
        </div>
      ) : null}
      {owner && task.status !== 'queued' && !task.retriedAs ? (
        <div className="route-row">
          <label>
            Retry in{' '}
            <select
              aria-label="Retry in"
              value={target || SAME}
              onChange={(event) => setTarget(event.target.value)}
            >
              <option value={SAME}>where it went ({task.toName})</option>
              {targets
                .filter((session) => session.id !== task.toSession)
                .map((session) => (
                  <option key={session.id} value={session.id}>
                    {session.name}
                  </option>
                ))}
              <option value={NEW}>a new session in…</option>
            </select>
          </label>
          {target === NEW ? (
            <input aria-label="Directory" value={cwd} onChange={(event) => setCwd(event.target.value)} />
          ) : null}
          <button type="button" disabled={busy} onClick={() => act(retry)}>
            {running
              ? 'Cancel and retry'
              : isFinalTaskStatus(task.status)
                ? 'Retry'
                : 'Retry (cancels this one)'}
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
