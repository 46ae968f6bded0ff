// Client fan-out: which connected clients get each session, lease and task frame. Session frames go to
// owners and to the invitees of that session, lease frames to whoever is attached and to owners, task
// frames to owners only. Each frame is serialized once and checked against the protocol's types.
import type { HubMessage, TaskInfo } from '../../src-protocol/index.js';
import type { Disposable } from '../events.js';
import type { InboxChange, InboxRecord } from '../inbox/inbox.js';
import type { LeaseChangeEvent, SessionChange, SessionRegistry } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import type { TaskRouter } from '../tasks/router.js';
import type { Principal } from './auth.js';

/** A connected client as fan-out sees it (net/connection.ts is one). */
export interface FanOutClient {
  /** Names the lease holder in lease frames (issue 10); clients without one are never named. */
  readonly clientId?: string;
  readonly principal: Pick<Principal, 'role' | 'session' | 'name'> | undefined;
  readonly attached: ReadonlySet<string>;
  send(frame: string): void;
}

export interface FanOutPorts {
  clients: Iterable<FanOutClient>;
  findSession(id: string): Session | undefined;
  /** Who is attached where (net/presence.ts): told of every session change, and of removals. */
  presence: { changed(session: Session): void; forget(sessionId: string): void };
}

export class ClientFanOut {
  constructor(private readonly ports: FanOutPorts) {}

  /** Subscribes to the registry's and the router's events; disposing the result stops the fan-out. */
  listen(
    registry: Pick<SessionRegistry, 'onDidChangeSession' | 'onDidChangeLease'>,
    router: Pick<TaskRouter, 'onDidChangeTask'>,
  ): Disposable {
    const subscriptions = [
      registry.onDidChangeSession((change) => this.sessionChanged(change)),
      registry.onDidChangeLease((change) => this.leaseChanged(change)),
      router.onDidChangeTask((task) => this.taskChanged(task)),
    ];
    return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
  }

  sessionChanged({ kind, info }: SessionChange): void {
    const frame = JSON.stringify({ type: 'session.event', kind, session: info } satisfies HubMessage);
    this.send(frame, ({ session }) => session === undefined || session === info.id);
    const session = this.ports.findSession(info.id);
    if (session) this.ports.presence.changed(session);
    else this.ports.presence.forget(info.id);
  }

  leaseChanged({ session, change }: LeaseChangeEvent): void {
    let holderName: string | null = null;
    for (const client of this.ports.clients)
      if (change.holder !== null && client.clientId === change.holder)
        holderName = client.principal?.name ?? null;
    const frame = JSON.stringify({
      type: 'lease.changed',
      session: session.id,
      ...change,
      holderName,
    } satisfies HubMessage);
    this.send(frame, (principal, client) => client.attached.has(session.id) || principal.role === 'owner');
  }

  taskChanged(task: TaskInfo): void {
    const frame = JSON.stringify({ type: 'task.event', task } satisfies HubMessage);
    this.send(frame, (principal) => principal.role === 'owner');
  }

  /**
   * Inbox changes: to owners, and to invitees whose invite covers the item's session; for observers (and
   * drivers of other sessions, who never see it) the item is read-only.
   */
  inboxChanged({ kind, item, reason, answeredBy }: InboxChange): void {
    const frames = new Map<boolean, string>();
    const frameFor = (readOnly: boolean) => {
      const frame =
        frames.get(readOnly) ??
        JSON.stringify({
          type: 'inbox.changed',
          kind,
          item: { ...item, readOnly },
          ...(reason ? { reason } : {}),
          ...(answeredBy ? { answeredBy } : {}),
        } satisfies HubMessage);
      frames.set(readOnly, frame);
      return frame;
    };
    for (const client of this.ports.clients) {
      const access = inboxAccess(client.principal, item);
      if (access !== 'none') client.send(frameFor(access === 'read'));
    }
  }

  /** Sends to every authenticated client that `sees` accepts. */
  private send(
    frame: string,
    sees: (principal: Pick<Principal, 'role' | 'session'>, client: FanOutClient) => boolean,
  ): void {
    for (const client of this.ports.clients)
      if (client.principal && sees(client.principal, client)) client.send(frame);
  }
}

/** What a client may do with an inbox item: answer it, only read it, or not see it at all. */
export function inboxAccess(
  principal: Pick<Principal, 'role' | 'session'> | undefined,
  item: Pick<InboxRecord, 'session' | 'kind'>,
): 'answer' | 'read' | 'none' {
  if (!principal) return 'none';
  if (principal.role === 'owner') return 'answer';
  if (principal.session !== undefined && principal.session !== item.session) return 'none';
  // Merging work into the owner's repository is the owner's: like `worktree.merge`, owner only.
  return principal.role === 'driver' && item.kind !== 'review' ? 'answer' : 'read';
}
