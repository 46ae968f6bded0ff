// The status engine's hook half: which Claude Code hook event means which session status (reference §5.4).
import { z } from 'zod';
import type { SessionStatus } from '../../src-protocol/index.js';

/** The fields the hub reads from any hook payload; everything else passes through untouched. */
export const HookPayloadSchema = z
  .object({
    hook_event_name: z.string(),
    session_id: z.string().optional(),
    notification_type: z.string().optional(),
    last_assistant_message: z.string().optional(),
    reason: z.string().optional(),
    source: z.string().optional(),
    transcript_path: z.string().optional(),
  })
  .passthrough();
export type HookPayload = z.infer<typeof HookPayloadSchema>;

/**
 * The status a hook event implies, or undefined when it says nothing about status. `turnOpen`: a prompt was
 * submitted and no Stop (StopFailure, idle notification) came since. A `SessionStart` then says nothing: it
 * comes through a command hook, a process of its own, so it can reach the hub after the next prompt's
 * `UserPromptSubmit` (the HTTP hook is faster), at the start or after `/clear`. One with `source: compact`
 * comes in the middle of a turn and says nothing either.
 */
export function statusForHook(payload: HookPayload, turnOpen = false): SessionStatus | undefined {
  switch (payload.hook_event_name) {
    case 'SessionStart':
      return turnOpen || payload.source === 'compact' ? undefined : 'idle';
    case 'Stop':
      return 'idle';
    case 'UserPromptSubmit':
    case 'PreToolUse':
    case 'PostToolUse':
      return 'working';
    case 'PermissionRequest':
      return 'waiting';
    case 'Notification':
      if (payload.notification_type === 'permission_prompt') return 'waiting';
      if (payload.notification_type === 'idle_prompt') return 'idle';
      return undefined;
    case 'StopFailure':
      return 'failed';
    default:
      return undefined; // SessionEnd: the process exit decides `ended`
  }
}
