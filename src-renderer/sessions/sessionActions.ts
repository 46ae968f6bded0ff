// The owner's session actions from the window (issue 13): each goes through the hub and puts the session
// it answers with into the store; a restarted session's open pane attaches again to the new process.
import type { SessionInfo } from '../../src-protocol/index.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';

const stored = (session: SessionInfo) => {
  useApp.getState().dispatch({ type: 'session.event', kind: 'updated', session });
  return session;
};

export const sessionActions = {
  rename: async (session: string, name: string) => stored(await appSession.hub.renameSession(session, name)),
  /** Same id: a pane showing it stays, and attaches again when the hub says it runs (appSession.route). */
  restart: async (session: string) => stored(await appSession.hub.restartSession(session)),
  /** A new session like this one, shown in a pane of its own. */
  duplicate: async (session: string) => {
    const copy = await appSession.hub.duplicateSession(session);
    useApp.getState().dispatch({ type: 'session.event', kind: 'added', session: copy });
    useApp.getState().showPane(copy.id);
    return copy;
  },
  kill: (session: string) => appSession.hub.kill(session),
  remove: (session: string) => appSession.hub.remove(session),
};
