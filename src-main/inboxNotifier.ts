// OS notifications for the inbox (issue 11): one per new item, or one for all that arrive within a short
// window ("5 items need you"), so a burst of requests from a worker tree is not a burst of pop-ups. Items
// answered before the window ends are not announced. Pure apart from the injected timer.
import type { HubMessage, InboxItem } from '../src-protocol/index.js';

export interface InboxNotification {
  title: string;
  body: string;
  /** One item: the session a click opens. A group: none (a click opens the inbox). */
  session?: string;
  items: string[];
}

export interface InboxNotifierPorts {
  show(notification: InboxNotification): void;
  setTimer(run: () => void, ms: number): unknown;
  clearTimer(timer: unknown): void;
}

/**
 * How long new items are gathered before one notification says them all. Long enough for a burst (a tree
 * of workers asking at once, a hub that restarts with several held requests), short enough to feel live.
 */
export const GROUP_WINDOW_MS = 1_500;
/** Session names a group's text lists before "and N more". */
const NAMES_SHOWN = 3;

const ASKS: Record<InboxItem['kind'], string> = {
  permission: 'asks for permission',
  dialog: 'waits at a dialog',
  question: 'asks you something',
  review: 'finished work to review',
  fault: 'could not start a worker',
};

export function describeItems(items: InboxItem[]): Omit<InboxNotification, 'items'> {
  const [only] = items;
  if (items.length === 1 && only)
    return { title: `${only.sessionName} ${ASKS[only.kind]}`, body: only.title, session: only.session };
  const names = [...new Set(items.map((item) => item.sessionName))];
  const listed = names.slice(0, NAMES_SHOWN).join(', ');
  const more = names.length > NAMES_SHOWN ? ` and ${names.length - NAMES_SHOWN} more` : '';
  return {
    title: `${items.length} items need you`,
    body: `From ${listed}${more}. Open the inbox to answer.`,
  };
}

export class InboxNotifier {
  /** Open items already known, so a repeated `added` or the start's list announces nothing. */
  private readonly known = new Set<string>();
  private pending: InboxItem[] = [];
  private timer: unknown;

  constructor(private readonly ports: InboxNotifierPorts) {}

  apply(message: HubMessage): void {
    if (message.type === 'inbox.items') {
      // What was open when the app started (or reconnected) is in the badge, not worth a pop-up.
      this.known.clear();
      for (const item of message.items) this.known.add(item.id);
      this.pending = this.pending.filter((item) => this.known.has(item.id));
      return;
    }
    if (message.type !== 'inbox.changed') return;
    const { item } = message;
    if (message.kind === 'removed') {
      this.known.delete(item.id);
      this.pending = this.pending.filter((waiting) => waiting.id !== item.id);
      return;
    }
    if (message.kind !== 'added' || this.known.has(item.id)) return;
    this.known.add(item.id);
    this.pending.push(item);
    this.timer ??= this.ports.setTimer(() => this.flush(), GROUP_WINDOW_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const items = this.pending;
    this.pending = [];
    if (items.length > 0) this.ports.show({ ...describeItems(items), items: items.map((item) => item.id) });
  }

  dispose(): void {
    if (this.timer !== undefined) this.ports.clearTimer(this.timer);
    this.timer = undefined;
    this.pending = [];
  }
}
