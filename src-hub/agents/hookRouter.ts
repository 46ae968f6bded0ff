// Claude Code's hooks, routed: each hook event is logged, moves the session's status (hookStatus.ts) and
// tells the task router when a turn starts (UserPromptSubmit) or stops (Stop, with its last message). A
// PermissionRequest is held for the inbox (inbox/permissions.ts); the reply is Claude Code's decision.
import { HubError } from '../../src-protocol/index.js';
import { Emitter, type Event } from '../events.js';
import type { HookResponse } from '../inbox/permissions.js';
import type { Logger } from '../logger.js';
import { statusForHook, type HookPayload } from '../sessions/hookStatus.js';
import type { Session } from '../sessions/session.js';
import type { EventLog } from '../store/eventLog.js';
import type { TaskRouter } from '../tasks/router.js';

export interface HookRouterPorts {
  logger: Pick<Logger, 'event'>;
  eventLog: Pick<EventLog, 'record'>;
  tasks: Pick<TaskRouter, 'promptSubmitted' | 'stopped'>;
  /** Holds a permission request until the inbox answers it; absent: Claude Code's prompt decides. */
  holdPermission?(
    session: Pick<Session, 'id' | 'name'>,
    payload: HookPayload,
    abort?: AbortSignal,
  ): Promise<HookResponse>;
}

export interface RoutedHook {
  session: Pick<Session, 'id' | 'name'>;
  payload: HookPayload;
}

export class HookRouter {
  private readonly routed = new Emitter<RoutedHook>();
  /** Every hook once routed (the inbox hears of answers given in the terminal, questions, turns). */
  readonly onDidRouteHook: Event<RoutedHook> = this.routed.event;
  /** Claude's own session ids a hub session has had besides its hub id (a `/clear` starts a new one). */
  private readonly otherIds = new Map<string, Set<string>>();
  /** Sessions with a turn open: a prompt submitted, no Stop, StopFailure or idle notification since. */
  private readonly openTurns = new Set<string>();

  constructor(private readonly ports: HookRouterPorts) {}

  /**
   * One hook call from a session's Claude Code (already authenticated and parsed by net/httpRoutes.ts);
   * resolves with the hook's response body. A payload naming another session than its token's is refused.
   */
  route(
    session: Pick<Session, 'id' | 'name' | 'setStatus'>,
    payload: HookPayload,
    abort?: AbortSignal,
  ): Promise<HookResponse> | undefined {
    const hook = payload.hook_event_name;
    this.checkSessionId(session.id, payload);
    this.ports.logger.event('session.hook', { session: session.id, hook });
    this.ports.eventLog.record('session.hook', { session: session.id, hook });
    if (hook === 'UserPromptSubmit') this.ports.tasks.promptSubmitted(session.id);
    if (hook === 'Stop') this.ports.tasks.stopped(session.id, payload.last_assistant_message);
    // The router hears of the turn first: whoever reacts to the new status sees the tasks updated.
    const status = statusForHook(payload, hook === 'SessionStart' && this.openTurns.has(session.id));
    this.trackTurn(session.id, payload);
    if (status) session.setStatus(status);
    this.routed.fire({ session, payload });
    if (hook === 'PermissionRequest' && this.ports.holdPermission)
      return this.ports.holdPermission(session, payload, abort);
    return undefined;
  }

  /** The session has ended (or starts again): forget the ids it had, and its open turn. */
  forget(sessionId: string): void {
    this.otherIds.delete(sessionId);
    this.openTurns.delete(sessionId);
  }

  private trackTurn(sessionId: string, payload: HookPayload): void {
    const hook = payload.hook_event_name;
    if (hook === 'UserPromptSubmit') this.openTurns.add(sessionId);
    const idle = hook === 'Notification' && payload.notification_type === 'idle_prompt';
    if (hook === 'Stop' || hook === 'StopFailure' || idle) this.openTurns.delete(sessionId);
  }

  dispose(): void {
    this.routed.dispose();
  }

  private checkSessionId(sessionId: string, payload: HookPayload): void {
    const claimed = payload.session_id;
    if (claimed === undefined || claimed === sessionId) return;
    const known = this.otherIds.get(sessionId) ?? new Set<string>();
    // SessionStart comes from the session's own command hook, with its token: a `/clear` (or a fork) gives
    // the conversation a new id, which that session's later hooks carry.
    if (payload.hook_event_name === 'SessionStart') {
      this.otherIds.set(sessionId, known.add(claimed));
      return;
    }
    if (known.has(claimed)) return;
    this.ports.logger.event('session.hook_refused', { session: sessionId, claimed });
    throw new HubError(
      'not_allowed',
      "This hook's session_id is not the session its token belongs to; nothing was changed.",
    );
  }
}
