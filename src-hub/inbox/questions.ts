// Question items: a Claude session says it waits for input (Notification hooks `idle_prompt`,
// `agent_needs_input`, `elicitation_*`). Answered by typing the reply into the session as one submitted
// line; gone once the session moves on (any later hook but a notification), or when a dialog item says
// more precisely what it waits for.
import { HubError } from '../../src-protocol/index.js';
import type { HookPayload } from '../sessions/hookStatus.js';
import type { Session } from '../sessions/session.js';
import type { Inbox, InboxRecord } from './inbox.js';

export interface QuestionPorts {
  inbox: Inbox;
  findSession(id: string): Session | undefined;
  context(session: string): Pick<InboxRecord, 'task' | 'chain'>;
  /** Types a line into the session as one submission (agents/submission.ts). */
  submit(session: Session, text: string): void;
}

/** Notification types that ask a person for input (reference §5.3); `elicitation_complete` only reports. */
export function asksForInput(type: string | undefined): boolean {
  if (type === undefined) return false;
  if (type === 'idle_prompt' || type === 'agent_needs_input') return true;
  return type.startsWith('elicitation_') && type !== 'elicitation_complete';
}

const DEFAULT_MESSAGE: Record<string, string> = {
  idle_prompt: 'Claude is waiting for your input',
  agent_needs_input: 'Claude needs your input',
};

export class QuestionItems {
  constructor(private readonly ports: QuestionPorts) {}

  /** Every hook of a session: a question adds an item, anything else but a notification clears it. */
  hookSeen(session: Pick<Session, 'id' | 'name'>, payload: HookPayload): void {
    const { inbox } = this.ports;
    const open = inbox.of(session.id, 'question');
    if (payload.hook_event_name !== 'Notification') {
      for (const item of open) inbox.remove(item.id, 'answered_in_terminal');
      return;
    }
    const type = payload.notification_type;
    if (!asksForInput(type) || inbox.of(session.id, 'dialog').length > 0) return;
    const message =
      (typeof payload.message === 'string' && payload.message) ||
      DEFAULT_MESSAGE[type!] ||
      'Claude asks for input';
    for (const item of open) inbox.remove(item.id, 'gone'); // the newest question says it best
    this.add(session, message, type!);
  }

  /** A dialog item arrived for the session: it is what the session waits on. */
  dialogAdded(sessionId: string): void {
    for (const item of this.ports.inbox.of(sessionId, 'question')) this.ports.inbox.remove(item.id, 'gone');
  }

  sessionEnded(sessionId: string): void {
    for (const item of this.ports.inbox.of(sessionId, 'question'))
      this.ports.inbox.remove(item.id, 'session_ended');
  }

  private add(session: Pick<Session, 'id' | 'name'>, message: string, type: string): void {
    const { inbox } = this.ports;
    inbox.add({
      item: {
        id: inbox.newId(),
        kind: 'question',
        session: session.id,
        sessionName: session.name,
        title: message,
        message,
        input: { notification_type: type },
        ...this.ports.context(session.id),
        since: inbox.since(),
      },
      answer: (answer) => {
        const target = this.ports.findSession(session.id);
        if (!target?.acceptsInput) throw new HubError('session_ended', `Session ${session.name} has ended.`);
        if (answer.action !== 'reply') throw new HubError('invalid_message', 'Answer a question with reply.');
        this.ports.submit(target, answer.text);
        return { message: `Typed your reply into ${session.name}.` };
      },
    });
  }
}
