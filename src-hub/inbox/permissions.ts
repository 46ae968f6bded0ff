// Permission requests: Claude Code's PermissionRequest hook, held open as an inbox item until someone
// answers (allow, allow always, deny with a message) or the hold runs out (then no decision: Claude Code's
// own prompt, already on its screen, decides). Claude Code shows its TUI prompt while the hook waits; an
// answer given there is seen from the session's next hooks (the tool ran or failed, the turn moved on).
import type { InboxAnswer } from '../../src-protocol/index.js';
import type { HookPayload } from '../sessions/hookStatus.js';
import { describeSuggestion, editDiff, permissionTitle } from './permissionText.js';
import type { Inbox, InboxRecord, RemovalReason } from './inbox.js';

/** What the hook's HTTP response carries back to Claude Code (reference §5.2, checked on 2.1.331). */
export type HookResponse = Record<string, unknown>;

export interface PermissionPorts {
  inbox: Inbox;
  /** How long a request is held; the launch profile sets the hook's own timeout a little longer. */
  holdMs: number;
  /** The task a session serves and the chain above it, for the item. */
  context(session: string): Pick<InboxRecord, 'task' | 'chain'>;
  /** A hold ended without an inbox answer: the screen may now show a dialog worth an item. */
  released(session: string): void;
}

interface Hold {
  session: string;
  tool: string;
  input: string;
  suggestions: unknown[];
  settle(response: HookResponse): void;
}

type Permission = HookPayload & {
  tool_name?: unknown;
  tool_input?: unknown;
  permission_suggestions?: unknown;
};

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};

/** Hooks after which a session's open permission requests were decided elsewhere (its TUI). */
const MOVED_ON = new Set(['UserPromptSubmit', 'Stop', 'StopFailure', 'SessionEnd']);
const TOOL_DONE = new Set(['PostToolUse', 'PostToolUseFailure', 'PermissionDenied']);

export class PermissionHolds {
  private readonly holds = new Map<string, Hold>();

  constructor(private readonly ports: PermissionPorts) {}

  /**
   * Holds one PermissionRequest: resolves with the hook's response once answered, or `{}` (no decision)
   * when the hold runs out, the request is decided in the TUI, or `abort` fires (the hook's connection).
   */
  hold(
    session: { id: string; name: string },
    payload: Permission,
    abort?: AbortSignal,
  ): Promise<HookResponse> {
    const { inbox } = this.ports;
    const tool = typeof payload.tool_name === 'string' ? payload.tool_name : 'unknown tool';
    const input = record(payload.tool_input);
    const suggestions = Array.isArray(payload.permission_suggestions) ? payload.permission_suggestions : [];
    const id = inbox.newId();
    const started = Date.now();
    const diff = editDiff(tool, input);
    const item: InboxRecord = {
      id,
      kind: 'permission',
      session: session.id,
      sessionName: session.name,
      title: permissionTitle(tool, input),
      tool,
      input,
      ...(diff ? { diff } : {}),
      suggestions: suggestions.map(describeSuggestion).filter((text): text is string => text !== undefined),
      ...this.ports.context(session.id),
      since: inbox.since(),
      expiresAt: new Date(Date.parse(inbox.since()) + this.ports.holdMs).toISOString(),
    };
    return new Promise<HookResponse>((resolve) => {
      let done = false;
      const timer = setTimeout(() => inbox.remove(id, 'expired'), this.ports.holdMs);
      const settle = (response: HookResponse) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.holds.delete(id);
        abort?.removeEventListener('abort', onAbort);
        resolve(response);
      };
      const onAbort = () => inbox.remove(id, 'gone');
      abort?.addEventListener('abort', onAbort, { once: true });
      this.holds.set(id, { session: session.id, tool, input: JSON.stringify(input), suggestions, settle });
      inbox.add({
        item,
        answer: (answer) => {
          settle(decision(answer, suggestions));
          return { message: answerWords(answer, tool, Date.now() - started) };
        },
        closed: (reason: RemovalReason) => {
          settle({});
          if (reason === 'expired' || reason === 'gone') this.ports.released(session.id);
        },
      });
      if (abort?.aborted) onAbort();
    });
  }

  /** Every hook of a session: one that shows a held request was decided in the TUI closes its item. */
  hookSeen(sessionId: string, payload: Permission): void {
    const hook = payload.hook_event_name;
    if (!MOVED_ON.has(hook) && !TOOL_DONE.has(hook)) return;
    const input = JSON.stringify(record(payload.tool_input));
    for (const [id, hold] of this.holds) {
      if (hold.session !== sessionId) continue;
      const sameTool = hold.tool === payload.tool_name && hold.input === input;
      if (MOVED_ON.has(hook) || sameTool) this.ports.inbox.remove(id, 'answered_in_terminal');
    }
  }

  /** A session ended: its requests go (their hooks' connections are gone with its process). */
  sessionEnded(sessionId: string): void {
    for (const [id, hold] of this.holds)
      if (hold.session === sessionId) this.ports.inbox.remove(id, 'session_ended');
  }

  /** Whether a session has a request held (its TUI prompt is then that request, not a separate dialog). */
  holding(sessionId: string): boolean {
    return [...this.holds.values()].some((hold) => hold.session === sessionId);
  }
}

/**
 * The hook's answer, as 2.1.331 reads it: allow (with the request's own suggestions, scoped to this
 * session, for "always") or deny with the message the model sees. Suggestions that switch the session's
 * whole permission mode are left out of "always": that is more than "always allow this".
 */
function decision(answer: InboxAnswer, suggestions: unknown[]): HookResponse {
  if (answer.action === 'deny') {
    const message = answer.message?.trim() || 'The user denied this request from the Switchboard inbox.';
    return {
      hookSpecificOutput: { hookEventName: 'PermissionRequest', decision: { behavior: 'deny', message } },
    };
  }
  const always = answer.action === 'allow' && answer.always === true;
  const updatedPermissions = suggestions
    .map(record)
    .filter((suggestion) => suggestion.type !== 'setMode')
    .map((suggestion) => ({ ...suggestion, destination: 'session' }));
  return {
    hookSpecificOutput: {
      hookEventName: 'PermissionRequest',
      decision: {
        behavior: 'allow',
        ...(always && updatedPermissions.length > 0 ? { updatedPermissions } : {}),
      },
    },
  };
}

function answerWords(answer: InboxAnswer, tool: string, waitedMs: number): string {
  const after = `after ${Math.round(waitedMs / 1000)} s`;
  if (answer.action === 'deny') return `Denied ${tool} ${after}; the model is told why.`;
  if (answer.action === 'allow' && answer.always) return `Allowed ${tool} for this session ${after}.`;
  return `Allowed ${tool} once ${after}.`;
}
