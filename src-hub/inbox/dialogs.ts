// Dialog items: a dialog on a Claude session's screen (the auto-mode dialog, folder trust, a permission
// prompt no hook holds any more, …) as an inbox item with the dialog's own choices; choosing one types its
// keys. The screen is read whenever a session's status changes (the status engine makes a session at a
// dialog `waiting`), and when a held permission request lets go of its prompt.
import { HubError, type InboxAnswer } from '../../src-protocol/index.js';
import { dialogOnScreen, type ScreenDialog } from '../sessions/screenDialogs.js';
import type { Session } from '../sessions/session.js';
import type { Inbox, InboxRecord } from './inbox.js';

/** ms between a menu's arrow keys and its Enter (as the ring-3 tests type into Claude Code's menus). */
export const MENU_ENTER_DELAY_MS = 300;

export interface DialogPorts {
  inbox: Inbox;
  findSession(id: string): Session | undefined;
  /** A permission request is held for the session: its prompt is that item, not a dialog. */
  holding(session: string): boolean;
  context(session: string): Pick<InboxRecord, 'task' | 'chain'>;
  /** A dialog item arrived: a vaguer question item of the same session goes. */
  dialogAdded(session: string): void;
}

const sameDialog = (item: InboxRecord, dialog: ScreenDialog) =>
  item.message === dialog.message &&
  JSON.stringify(item.choices?.map((choice) => choice.label)) ===
    JSON.stringify(dialog.choices.map((choice) => choice.label));

export class DialogItems {
  /** Looks in progress per session, so two status changes in a row read the screen once after the other. */
  private readonly looking = new Map<string, Promise<void>>();

  constructor(private readonly ports: DialogPorts) {}

  /** Reads the session's screen and adds, updates or removes its dialog item to match. */
  look(sessionId: string): Promise<void> {
    const previous = this.looking.get(sessionId) ?? Promise.resolve();
    const next = previous.then(() => this.lookNow(sessionId)).catch(() => undefined);
    this.looking.set(sessionId, next);
    void next.finally(() => this.looking.get(sessionId) === next && this.looking.delete(sessionId));
    return next;
  }

  /** The session ended: its dialog went with it. */
  sessionEnded(sessionId: string): void {
    for (const item of this.ports.inbox.of(sessionId, 'dialog'))
      this.ports.inbox.remove(item.id, 'session_ended');
  }

  private async lookNow(sessionId: string): Promise<void> {
    const { inbox } = this.ports;
    const session = this.ports.findSession(sessionId);
    const open = inbox.of(sessionId, 'dialog')[0];
    if (!session || session.kind !== 'claude' || session.status === 'ended') {
      if (open) inbox.remove(open.id, 'session_ended');
      return;
    }
    await session.mirror.flushed();
    const dialog = this.ports.holding(sessionId) ? undefined : dialogOnScreen(session.mirror.screen().lines);
    if (open && dialog && sameDialog(open, dialog)) {
      const current = dialog.choices.map(({ id, label, current }) => ({ id, label, current }));
      if (JSON.stringify(current) !== JSON.stringify(open.choices))
        inbox.update(open.id, { choices: current });
      return;
    }
    if (open) inbox.remove(open.id, 'answered_in_terminal');
    if (dialog) this.add(session, dialog);
  }

  private add(session: Session, dialog: ScreenDialog): void {
    const { inbox } = this.ports;
    const id = inbox.newId();
    inbox.add({
      item: {
        id,
        kind: 'dialog',
        session: session.id,
        sessionName: session.name,
        title: dialog.message,
        message: dialog.message,
        choices: dialog.choices.map(({ id: choice, label, current }) => ({ id: choice, label, current })),
        ...this.ports.context(session.id),
        since: inbox.since(),
      },
      answer: (answer: InboxAnswer) => {
        const choice =
          answer.action === 'choose'
            ? dialog.choices.find((option) => option.id === answer.choice)
            : undefined;
        if (!choice)
          throw new HubError(
            'invalid_message',
            `No choice "${answer.action === 'choose' ? answer.choice : ''}"; this dialog offers ${dialog.choices.map((option) => `${option.id} (${option.label})`).join(', ')}.`,
          );
        if (!session.acceptsInput) throw new HubError('session_ended', `Session ${session.name} has ended.`);
        typeKeys(session, choice.keys);
        return { message: `Chose "${choice.label}" in ${session.name}'s ${dialog.name} dialog.` };
      },
    });
    this.ports.dialogAdded(session.id);
  }
}

/** Types each key group, pausing between them; a session that ended meanwhile gets the rest no more. */
function typeKeys(session: Session, keys: string[]): void {
  const [first, ...rest] = keys;
  if (first === undefined || !session.acceptsInput) return;
  session.write(first);
  if (rest.length > 0) setTimeout(() => typeKeys(session, rest), MENU_ENTER_DELAY_MS);
}
