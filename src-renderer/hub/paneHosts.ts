// Which hub connection serves a pane: the window's own hub, or one joined with an invite link.
import { LOCAL_HUB, paneRef } from '../state/hubs.js';
import { appSession } from './appSession.js';
import type { PaneHost } from './paneControllers.js';
import { remoteHubs } from './remoteHubs.js';

export const paneHost = (hub: string): PaneHost | undefined =>
  hub === LOCAL_HUB ? appSession : remoteHubs.host(hub);

/** The terminal controller of a pane (keyed as in state/hubs.ts), from the hub it belongs to. */
export const paneController = (pane: string) => {
  const ref = paneRef(pane);
  return paneHost(ref.hub)?.controller(ref.session);
};
