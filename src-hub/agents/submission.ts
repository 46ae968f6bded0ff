// Types a line into a session as one submission, the way its program takes it: Claude Code gets a bracketed
// paste and, once the paste has settled, Enter (an Enter inside a fast paste is a newline, not a submit);
// any other program gets the text and Enter at once, as a person typing it would send them.
import type { Session } from '../sessions/session.js';

/** ms between the paste and Enter: Claude Code treats an Enter that arrives with the paste as part of it. */
export const SUBMIT_ENTER_DELAY_MS = 150;

/** Runs `action` after `ms`; the prompt injector passes its own, cleared when it is disposed. */
export type Schedule = (ms: number, action: () => void) => void;

export function typeSubmission(
  session: Session,
  text: string,
  enterDelayMs = SUBMIT_ENTER_DELAY_MS,
  schedule: Schedule = (ms, action) => void setTimeout(action, ms),
): void {
  if (session.kind !== 'claude') return session.write(`${text}\r`);
  const paste = session.mirror.bracketedPasteMode ? `\x1b[200~${text}\x1b[201~` : text;
  session.write(paste);
  schedule(enterDelayMs, () => {
    // Timers must never throw: a process that exited meanwhile just gets no Enter.
    if (session.acceptsInput) session.write('\r');
  });
}
