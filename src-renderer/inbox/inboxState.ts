// The renderer's inbox (issue 11): a pure projection of `inbox.items` and `inbox.changed`, the order the
// panel lists items in, and the selection that j/k move.
import type { HubMessage, InboxItem } from '../../src-protocol/index.js';

export interface InboxState {
  /** Open items by id. */
  items: Record<string, InboxItem>;
  /** Whether the hub answered `inbox.list` (a hub without an inbox leaves the badge away). */
  loaded: boolean;
  /** The item the panel's keys act on; kept valid as items come and go. */
  selected: string | null;
  /** The last few items that left, and why ("answered by Bob"), newest first. */
  recent: Array<{ id: string; title: string; reason: string; at: number }>;
}

export const initialInboxState: InboxState = { items: {}, loaded: false, selected: null, recent: [] };

const RECENT_KEPT = 5;

type InboxChangedMessage = Extract<HubMessage, { type: 'inbox.changed' }>;

/** Oldest first: the request that has waited longest is the one to answer next. */
export function orderedItems(items: Record<string, InboxItem>): InboxItem[] {
  return Object.values(items).sort((a, b) => a.since.localeCompare(b.since) || a.id.localeCompare(b.id));
}

/** The selection after the items changed: the same item while it is open, else the one after it. */
function keepSelection(before: InboxState, items: Record<string, InboxItem>): string | null {
  if (before.selected && before.selected in items) return before.selected;
  const after = orderedItems(items);
  if (after.length === 0) return null;
  if (!before.selected) return after[0]!.id;
  // The selected item left (answered): take the one that followed it, as a mail client does.
  const previous = orderedItems(before.items);
  const index = previous.findIndex((item) => item.id === before.selected);
  const next = previous.slice(index + 1).find((item) => item.id in items);
  return next?.id ?? after.at(-1)!.id;
}

/** Why an item left, in words for the panel. */
export function removalWords(message: Pick<InboxChangedMessage, 'reason' | 'answeredBy'>): string {
  const by = message.answeredBy;
  switch (message.reason) {
    case 'answered':
      return by ? `answered by ${by.name}${by.role === 'owner' ? '' : ` (${by.role})`}` : 'answered';
    case 'answered_in_terminal':
      return 'answered in the terminal';
    case 'expired':
      return "waited too long: Claude Code's own prompt took over";
    case 'session_ended':
      return 'its session ended';
    default:
      return 'closed';
  }
}

/** Pure: the inbox after one hub message. Unrelated messages return `state` itself. */
export function applyInboxEvent(state: InboxState, message: HubMessage, now: number): InboxState {
  if (message.type === 'inbox.items') {
    const items = Object.fromEntries(message.items.map((item) => [item.id, item]));
    return { ...state, items, loaded: true, selected: keepSelection(state, items) };
  }
  if (message.type !== 'inbox.changed') return state;
  const { item } = message;
  if (message.kind === 'removed') {
    if (!(item.id in state.items)) return state;
    const items = { ...state.items };
    delete items[item.id];
    const gone = {
      id: item.id,
      title: `${item.sessionName}: ${item.title}`,
      reason: removalWords(message),
      at: now,
    };
    const recent = [gone, ...state.recent].slice(0, RECENT_KEPT);
    return { ...state, items, recent, selected: keepSelection(state, items) };
  }
  const items = { ...state.items, [item.id]: item };
  return { ...state, items, loaded: true, selected: keepSelection(state, items) };
}

/** j/k: the selection `delta` places away, stopping at the ends. */
export function moveSelection(state: InboxState, delta: number): InboxState {
  const ordered = orderedItems(state.items);
  if (ordered.length === 0) return state.selected === null ? state : { ...state, selected: null };
  const index = ordered.findIndex((item) => item.id === state.selected);
  const next = Math.min(ordered.length - 1, Math.max(0, (index < 0 ? 0 : index) + delta));
  const selected = ordered[next]!.id;
  return selected === state.selected ? state : { ...state, selected };
}

/** Forgotten on disconnect (they may be answered meanwhile); the next `inbox.list` brings them back. */
export function disconnectedInbox(state: InboxState): InboxState {
  return state.selected === null && Object.keys(state.items).length === 0
    ? state
    : { ...state, items: {}, selected: null };
}
