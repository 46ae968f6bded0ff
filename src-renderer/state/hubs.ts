// More than one hub in one window (issue 10, "Connect to a hub…"): the local hub keeps its place in the store
// (`state.hub`, panes keyed by session id); each hub joined with an invite link gets its own projection
// (`state.remotes[id].hub`, the same `applyHubEvent`) and its panes are keyed `<hub id>/<session id>`.
import type { HubMessage } from '../../src-protocol/index.js';
import { applyHubEvent, initialHubState, type HubState, type LocalEvent } from './hubState.js';

/** The hub this window belongs to (the desktop app's own, or the one that served the page). */
export const LOCAL_HUB = 'local';

export type RemoteStatus = 'connecting' | 'open' | 'gone';

/** A hub joined with an invite link, as the sidebar shows it. */
export interface RemoteHub {
  id: string;
  /** The hub machine's name (from `auth.ok`), else its address. */
  name: string;
  /** `https://ADDR:PORT` */
  origin: string;
  status: RemoteStatus;
  /** Why it is gone (revoked, kicked, the hub stopped, the network), in words. */
  detail: string;
  hub: HubState;
}

export interface PaneRef {
  hub: string;
  session: string;
}

/** Session ids are UUIDs (no `/`), hub ids are `r1`, `r2`, …: the key splits at its one `/`. */
export const paneKey = (hub: string, session: string): string =>
  hub === LOCAL_HUB ? session : `${hub}/${session}`;

export function paneRef(key: string): PaneRef {
  const at = key.indexOf('/');
  return at < 0 ? { hub: LOCAL_HUB, session: key } : { hub: key.slice(0, at), session: key.slice(at + 1) };
}

/** The projection of the hub a pane belongs to; an empty one for a hub no longer joined. */
export function hubStateOf(
  state: { hub: HubState; remotes: Record<string, RemoteHub> },
  hub: string,
): HubState {
  return hub === LOCAL_HUB ? state.hub : (state.remotes[hub]?.hub ?? initialHubState);
}

/** Adds or changes a joined hub (`null` forgets it); pure. */
export function withRemote(
  remotes: Record<string, RemoteHub>,
  id: string,
  patch: Partial<RemoteHub> | null,
): Record<string, RemoteHub> {
  const next = { ...remotes };
  if (patch === null) delete next[id];
  else
    next[id] = {
      id,
      name: id,
      origin: '',
      status: 'connecting',
      detail: '',
      hub: initialHubState,
      ...remotes[id],
      ...patch,
    };
  return next;
}

/** `applyHubEvent` on one joined hub's projection; the same object back when nothing changed. */
export function applyRemoteEvent(
  remotes: Record<string, RemoteHub>,
  id: string,
  event: HubMessage | LocalEvent,
  now: number,
): Record<string, RemoteHub> {
  const remote = remotes[id];
  if (!remote) return remotes;
  const hub = applyHubEvent(remote.hub, event, now);
  return hub === remote.hub ? remotes : { ...remotes, [id]: { ...remote, hub } };
}
