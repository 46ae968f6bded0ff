// The owner's per-session activity list (issue 10): who attached, who typed how much and when, from the
// hub database's event table; read when opened, and again on Refresh.
import { useCallback, useEffect, useState } from 'react';
import { appSession } from '../hub/appSession.js';
import { activityLines, type ActivityLine } from './activity.js';

export function ActivityPanel({ session, onClose }: { session: string; onClose: () => void }) {
  const [lines, setLines] = useState<ActivityLine[] | undefined>();
  const [error, setError] = useState('');
  const load = useCallback(() => {
    appSession.hub
      .activity(session)
      .then((events) => setLines(activityLines(events)))
      .catch((failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)));
  }, [session]);
  useEffect(load, [load]);
  return (
    <aside className="activity-panel" aria-label="Activity" data-testid="activity">
      <header>
        <strong>Activity</strong>
        <button type="button" className="small" onClick={load}>
          Refresh
        </button>
        <button type="button" className="small" onClick={onClose} aria-label="Close activity">
          ×
        </button>
      </header>
      {error ? <p className="error">{error}</p> : null}
      <ol>
        {(lines ?? []).map((line, index) => (
          <li key={index}>
            <time>{new Date(line.at).toLocaleTimeString()}</time> <b>{line.who}</b> {line.text}
          </li>
        ))}
      </ol>
    </aside>
  );
}
