// Quitting the desktop app ends the hub and every session it runs: with live sessions, ask first.
import type { SessionInfo } from '../src-protocol/index.js';

export interface QuitQuestion {
  message: string;
  detail: string;
  buttons: [quit: string, cancel: string];
}

export function quitQuestion(
  sessions: readonly Pick<SessionInfo, 'name' | 'status'>[],
): QuitQuestion | undefined {
  const live = sessions.filter((session) => session.status !== 'ended');
  if (live.length === 0) return undefined;
  const names =
    live
      .slice(0, 5)
      .map((session) => session.name)
      .join(', ') + (live.length > 5 ? ', …' : '');
  return {
    message: `${live.length} session${live.length === 1 ? ' is' : 's are'} still running. Quit anyway?`,
    detail: `Quitting ends ${live.length === 1 ? 'it' : 'them'}: ${names}. Open tasks stay recorded and resume with the next start.`,
    buttons: ['Quit and end sessions', 'Cancel'],
  };
}
