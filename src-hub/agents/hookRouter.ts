// Claude Code's hooks, routed: each hook event is logged, moves the session's status (hookStatus.ts) and
// tells the task router when a turn starts (UserPromptSubmit) or stops (Stop, with its last message);
// then `onDidRouteHook` tells whoever reads more from hooks (token use).
import { Emitter, type Event } from '../events.js';
import type { Logger } from '../logger.js';
import { statusForHook, type HookPayload } from '../sessions/hookStatus.js';
import type { Session } from '../sessions/session.js';
import type { EventLog } from '../store/eventLog.js';
import type { TaskRouter } from '../tasks/router.js';

export interface HookRouterPorts {
  logger: Pick<Logger, 'event'>;
  eventLog: Pick<EventLog, 'record'>;
  tasks: Pick<TaskRouter, 'promptSubmitted' | 'stopped'>;
}

export interface RoutedHook {
  session: string;
  payload: HookPayload;
}

export class HookRouter {
  private readonly routed = new Emitter<RoutedHook>();
  /** After each hook is routed (status set, tasks told). */
  readonly onDidRouteHook: Event<RoutedHook> = this.routed.event;

  constructor(private readonly ports: HookRouterPorts) {}

  /** One hook call from a session's Claude Code (already authenticated and parsed by net/httpRoutes.ts). */
  route(session: Pick<Session, 'id' | 'setStatus'>, payload: HookPayload): void {
    const hook = payload.hook_event_name;
    this.ports.logger.event('session.hook', { session: session.id, hook });
    this.ports.eventLog.record('session.hook', { session: session.id, hook });
    if (hook === 'UserPromptSubmit') this.ports.tasks.promptSubmitted(session.id);
    if (hook === 'Stop') this.ports.tasks.stopped(session.id, payload.last_assistant_message);
    // The router hears of the turn first: whoever reacts to the new status sees the tasks updated.
    const status = statusForHook(payload);
    if (status) session.setStatus(status);
    this.routed.fire({ session: session.id, payload });
  }

  dispose(): void {
    this.routed.dispose();
  }
}
