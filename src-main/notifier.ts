// Which hub events become OS notifications: a task that finished, a session that waits for permission, a
// session whose process ended, never what the hub's own stop ends (connection.closing). Pure; main shows them and focuses the session on click. Once the hub lists
// an inbox, waits are announced by its items instead (inboxNotifier.ts), not twice.
import {
  isFinalTaskStatus,
  taskNotice,
  type HubMessage,
  type SessionStatus,
  type TaskStatus,
} from '../src-protocol/index.js';

export interface NotificationSpec {
  title: string;
  body: string;
  /** The session a click focuses. */
  session: string;
}

export class Notifier {
  private readonly sessions = new Map<string, SessionStatus>();
  private readonly tasks = new Map<string, TaskStatus>();
  private inbox = false;
  /** The hub said it is stopping: what ends from here on is its stop, not news (until it lists again). */
  private hubStopping = false;

  constructor(private readonly show: (notification: NotificationSpec) => void) {}

  apply(message: HubMessage): void {
    switch (message.type) {
      case 'connection.closing':
        if (message.reason === 'hub_stopping') this.hubStopping = true;
        return;
      case 'session.list.result':
        this.hubStopping = false;
        for (const session of message.sessions) this.sessions.set(session.id, session.status);
        return;
      case 'task.list.result':
        for (const task of message.tasks) this.tasks.set(task.id, task.status);
        return;
      case 'inbox.items':
        this.inbox = true;
        return;
      case 'session.event': {
        const { session } = message;
        const previous = this.sessions.get(session.id);
        if (message.kind === 'removed') return void this.sessions.delete(session.id);
        this.sessions.set(session.id, session.status);
        if (previous === undefined || previous === session.status || this.hubStopping) return;
        if (session.status === 'waiting' && !this.inbox)
          this.show({
            title: `${session.name} is waiting for you`,
            body: 'It asks for a permission or an answer.',
            session: session.id,
          });
        if (session.status === 'ended')
          this.show({
            title: `${session.name} ended`,
            body: `Exit code ${session.exitCode ?? '?'}.`,
            session: session.id,
          });
        return;
      }
      case 'task.event': {
        const { task } = message;
        const previous = this.tasks.get(task.id);
        this.tasks.set(task.id, task.status);
        const final = isFinalTaskStatus(task.status);
        if (!final || (previous !== undefined && isFinalTaskStatus(previous)) || this.hubStopping) return;
        this.show({ ...taskNotice(task), session: task.toSession });
        return;
      }
      default:
        return;
    }
  }
}
