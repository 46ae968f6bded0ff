// Which hub connection serves a pane: the window's own hub, or one joined with an invite link.
import { LOCAL_HUB } from '../state/hubs.js';
import { appSession } from './appSession.js';
import type { PaneHost } from './paneControllers.js';
import { remoteHubs } from './remoteHubs.js';

export const paneHost = (hub: string): PaneHost | undefined =>
  hub === LOCAL_HUB ? appSession : remoteHubs.host(hub);
