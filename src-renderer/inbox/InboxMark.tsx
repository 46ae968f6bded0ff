// A session's open inbox items, marked on its delegation-graph node; a click opens the inbox at them.
// While a session waits on the inbox, the deadline of the task it serves keeps running: the mark says how
// long is left (a worker that times out while waiting for you is cancelled with its subtree).
import { useEffect, useState, type MouseEvent } from 'react';
import { isFinalTaskStatus } from '../../src-protocol/index.js';
import { useApp } from '../state/store.js';
import { useInbox } from './inboxStore.js';
import { orderedItems } from './inboxState.js';

/** How many open items a session has (a number, so a node re-renders only when it changes). */
export const useInboxCount = (session: string): number =>
  useInbox((state) => {
    let count = 0;
    for (const item of Object.values(state.inbox.items)) if (item.session === session) count++;
    return count;
  });

/** The nearest deadline (ms since the epoch) of the open tasks a session serves, if any. */
export const useTaskDeadline = (session: string): number | null =>
  useApp((state) => {
    let nearest: number | null = null;
    for (const task of Object.values(state.hub.tasks)) {
      if (task.toSession !== session || isFinalTaskStatus(task.status)) continue;
      const at = Date.parse(task.deadlineAt);
      if (Number.isFinite(at) && (nearest === null || at < nearest)) nearest = at;
    }
    return nearest;
  });

/** "deadline in 4 min", "deadline in 40 s", "deadline passed". */
export function deadlineText(deadline: number, now: number): string {
  const left = Math.round((deadline - now) / 1000);
  if (left <= 0) return 'deadline passed';
  if (left < 120) return `deadline in ${left} s`;
  if (left < 2 * 3600) return `deadline in ${Math.round(left / 60)} min`;
  return `deadline in ${Math.round(left / 3600)} h`;
}

function useClock(active: boolean, everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}

function openAt(session: string, event: MouseEvent): void {
  event.stopPropagation(); // the node's own click opens its pane
  const store = useInbox.getState();
  const first = orderedItems(store.inbox.items).find((item) => item.session === session);
  if (first) store.select(first.id);
  store.setOpen(true);
}

export function InboxMark({ count, session }: { count: number; session: string }) {
  const deadline = useTaskDeadline(session);
  const now = useClock(count > 0 && deadline !== null, 5_000);
  if (count === 0) return null;
  const left = deadline === null ? null : deadlineText(deadline, now);
  return (
    <button
      type="button"
      className="graph-node-inbox nodrag"
      data-testid="graph-node-inbox"
      title="Open the inbox at this session's items"
      onClick={(event) => openAt(session, event)}
    >
      {count} {count === 1 ? 'needs' : 'need'} you
      {left ? (
        <span
          className={`graph-node-deadline${deadline! - now < 60_000 ? ' soon' : ''}`}
          data-testid="graph-node-deadline"
        >
          {' · '}
          {left}
        </span>
      ) : null}
    </button>
  );
}
