// A session's open inbox items, marked on its delegation-graph node; a click opens the inbox at them.
import type { MouseEvent } from 'react';
import { useInbox } from './inboxStore.js';
import { orderedItems } from './inboxState.js';

/** How many open items a session has (a number, so a node re-renders only when it changes). */
export const useInboxCount = (session: string): number =>
  useInbox((state) => {
    let count = 0;
    for (const item of Object.values(state.inbox.items)) if (item.session === session) count++;
    return count;
  });

function openAt(session: string, event: MouseEvent): void {
  event.stopPropagation(); // the node's own click opens its pane
  const store = useInbox.getState();
  const first = orderedItems(store.inbox.items).find((item) => item.session === session);
  if (first) store.select(first.id);
  store.setOpen(true);
}

export function InboxMark({ count, session }: { count: number; session: string }) {
  if (count === 0) return null;
  return (
    <button
      type="button"
      className="graph-node-inbox nodrag"
      data-testid="graph-node-inbox"
      title="Open the inbox at this session's items"
      onClick={(event) => openAt(session, event)}
    >
      {count} {count === 1 ? 'needs' : 'need'} you
    </button>
  );
}
