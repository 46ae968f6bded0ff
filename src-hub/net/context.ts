// What every connection shares: the registry, authentication, limits, the log, the live connections.
import type { HubMessage, RequestId } from '../../src-protocol/index.js';
import type { ClientSink } from '../attach/subscription.js';
import type { Inbox } from '../inbox/inbox.js';
import type { NoticeLog } from '../notices/noticeLog.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { SessionActions } from '../sessions/sessionActions.js';
import type { TaskRouter } from '../tasks/router.js';
import type { MergeMode, MergeOutcome, WorktreeManager } from '../workspaces/worktrees.js';
import type { EventLog } from '../store/eventLog.js';
import type { Authenticator, Principal } from './auth.js';
import type { FailureLimiter } from './guards.js';
import type { JoinApprovals } from './joinApproval.js';
import type { ListenerKind } from './listeners.js';
import type { WebLogin } from './webLogin.js';

export interface HubContext {
  registry: SessionRegistry;
  /** Rename, restart, duplicate (issue 13). */
  sessionActions: SessionActions;
  router: TaskRouter;
  /** What waits on a human: permission requests, dialogs, questions, reviews (issue 11). */
  inbox: Inbox;
  /** Notices kept for windows opened later, with the owner's read mark (issue 13). */
  notices: NoticeLog;
  /** Merges, rebases or discards the worktree a task ran in. */
  mergeTask(task: string, mode: MergeMode, force: boolean): Promise<MergeOutcome>;
  worktrees: WorktreeManager;
  auth: Authenticator;
  /** Browser logins for the web UI (tickets, cookie sessions). */
  webLogin: WebLogin;
  limiter: FailureLimiter;
  logger: Logger;
  limits: Limits;
  version: string;
  connections: Set<ClientConnection>;
  /** The database's event table: joins, revokes, kicks and every input, attributed (issue 10). */
  events: EventLog;
  /** Joins waiting for the owner's approval (invites made with `approve`). */
  approvals: JoinApprovals;
  /** Where the hub listens, once it does: what invite links point at. */
  listeners: { local?: string; lan?: LanEndpoint };
  /** Starts and stops the LAN listener (the Share dialog's toggle); absent in hubs that never listen. */
  lan?: {
    start(options?: { bind?: string; port?: number }): Promise<LanEndpoint>;
    stop(): Promise<void>;
  };
  /**
   * Settles once the hub has brought back the sessions of its last run (it listens before, because they
   * need its hook and MCP endpoints): a session list asked for meanwhile waits, so it is never missing them.
   */
  restoring?: Promise<unknown>;
}

/** The LAN listener's URL (`https://ADDR:PORT`) and its certificate's SHA-256 (64 lowercase hex). */
export interface LanEndpoint {
  url: string;
  fingerprint: string;
}

/** What carries a connection (a WebSocket, or an in-process transport): a client sink, and a bit more. */
export interface Endpoint extends ClientSink {
  readonly remoteAddress: string;
  /** Which listener it came through; in-process connections are `local`. */
  readonly listener?: ListenerKind;
  /** The connection authenticated: limits meant for strangers no longer apply. */
  authenticated?(): void;
  close(code: number, reason: string): void;
}

/** One client connection as the handlers see it (net/connection.ts implements it). */
export interface ClientConnection {
  readonly clientId: string;
  readonly context: HubContext;
  readonly endpoint: Endpoint;
  principal: Principal | undefined;
  /** The label the client gave at `auth` (shown in presence lists). */
  clientName: string;
  /** Ids of the sessions this connection is attached to. */
  readonly attached: Set<string>;
  send(message: HubMessage | string): void;
  authenticated(principal: Principal, clientName?: string): void;
  /** Aborted when the connection ends (a join waiting for approval stops waiting). */
  readonly gone: AbortSignal;
  /** Stops the authentication deadline while the owner decides on this join. */
  holdAuthDeadline(): void;
  /**
   * Sends a coded error (a bug becomes `internal` and is logged); `close` ends the connection too;
   * `session` names what an id-less message was about (its error has no `replyTo`).
   */
  fail(replyTo: RequestId | undefined, error: unknown, close?: boolean, session?: string): void;
  /** Detaches it from every session and forgets it; safe to call twice. */
  dispose(): void;
}
