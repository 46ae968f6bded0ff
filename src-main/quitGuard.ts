// Quitting the desktop app ends the hub and every session it runs: with live sessions, ask first. Claude
// sessions resume (their conversations and open tasks) when the app starts again; other commands do not.
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
    detail:
      `Quitting ends ${live.length === 1 ? 'it' : 'them'}: ${names}. ` +
      'Claude sessions resume their conversations and open tasks at the next start; other commands do not.',
    buttons: ['Quit and end sessions', 'Cancel'],
  };
}
