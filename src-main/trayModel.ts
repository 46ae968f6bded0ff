// What the tray shows: how many sessions work or wait, how many inbox items need the user, how many tasks
// finished since the user last looked, and the menu. Pure: fed hub messages, read by the Electron tray.
import {
  isFinalTaskStatus,
  type HubMessage,
  type SessionStatus,
  type TaskStatus,
} from '../src-protocol/index.js';

export type TrayAction = 'show' | 'inbox' | 'new-session' | 'quit';
export type TrayMenuItem = { label: string; action?: TrayAction; enabled?: boolean } | { separator: true };

export class TrayModel {
  private readonly sessions = new Map<string, SessionStatus>();
  private readonly tasks = new Map<string, TaskStatus>();
  /** Open inbox items; null until the hub lists its inbox (a hub without one). */
  private inbox: Set<string> | null = null;
  private doneSinceLook = 0;

  /** Returns true when the counts changed. */
  apply(message: HubMessage): boolean {
    const before = this.signature();
    if (message.type === 'session.list.result') {
      this.sessions.clear();
      for (const session of message.sessions) this.sessions.set(session.id, session.status);
    } else if (message.type === 'session.event') {
      if (message.kind === 'removed') this.sessions.delete(message.session.id);
      else this.sessions.set(message.session.id, message.session.status);
    } else if (message.type === 'task.list.result') {
      for (const task of message.tasks) this.tasks.set(task.id, task.status);
    } else if (message.type === 'task.event') {
      const previous = this.tasks.get(message.task.id);
      const final = isFinalTaskStatus(message.task.status);
      if (final && (previous === undefined || !isFinalTaskStatus(previous))) this.doneSinceLook++;
      this.tasks.set(message.task.id, message.task.status);
    } else if (message.type === 'inbox.items') {
      this.inbox = new Set(message.items.map((item) => item.id));
    } else if (message.type === 'inbox.changed') {
      this.inbox ??= new Set();
      if (message.kind === 'removed') this.inbox.delete(message.item.id);
      else this.inbox.add(message.item.id);
    }
    return this.signature() !== before;
  }

  /** The user looked (the window got focus): the "done" count starts again. */
  looked(): boolean {
    if (this.doneSinceLook === 0) return false;
    this.doneSinceLook = 0;
    return true;
  }

  get counts(): { working: number; waiting: number; done: number; live: number; inbox: number } {
    let working = 0;
    let waiting = 0;
    let live = 0;
    for (const status of this.sessions.values()) {
      if (status === 'working') working++;
      if (status === 'waiting') waiting++;
      if (status !== 'ended') live++;
    }
    return { working, waiting, done: this.doneSinceLook, live, inbox: this.inbox?.size ?? 0 };
  }

  /** The app icon's badge: what needs the user (the inbox, or waiting sessions without one) and news. */
  badge(): number {
    const { waiting, done, inbox } = this.counts;
    return (this.inbox ? inbox : waiting) + done;
  }

  tooltip(): string {
    const { working, waiting, done, inbox } = this.counts;
    const asks = this.inbox ? `${inbox} in the inbox` : `${waiting} waiting for you`;
    return `Switchboard: ${asks}, ${working} working, ${done} done since you last looked`;
  }

  /** Short enough for a menu-bar title (macOS) or a badge. */
  title(): string {
    const { working, waiting, done, inbox } = this.counts;
    const asks = this.inbox ? (inbox ? `✉${inbox}` : '') : waiting ? `⏸${waiting}` : '';
    return [working ? `▶${working}` : '', asks, done ? `✓${done}` : ''].filter(Boolean).join(' ');
  }

  menu(): TrayMenuItem[] {
    const { working, waiting, done, inbox } = this.counts;
    return [
      { label: 'Show Switchboard', action: 'show' },
      ...(this.inbox
        ? [
            {
              label: inbox ? `Inbox: ${inbox} need${inbox === 1 ? 's' : ''} you` : 'Inbox: nothing needs you',
              action: 'inbox' as const,
            },
          ]
        : []),
      { label: 'New session…', action: 'new-session' },
      { separator: true },
      { label: `${working} working · ${waiting} waiting · ${done} done`, enabled: false },
      { separator: true },
      { label: 'Quit Switchboard', action: 'quit' },
    ];
  }

  private signature(): string {
    const { working, waiting, done, live, inbox } = this.counts;
    return `${working}/${waiting}/${done}/${live}/${this.inbox ? inbox : '-'}`;
  }
}
