// Hook events to session status (reference/claude-code.md §5.4).
import { describe, expect, it } from 'vitest';
import { statusForHook } from './hookStatus.js';

describe('statusForHook', () => {
  it.each([
    ['SessionStart', undefined, 'idle'],
    ['UserPromptSubmit', undefined, 'working'],
    ['PreToolUse', undefined, 'working'],
    ['PostToolUse', undefined, 'working'],
    ['PermissionRequest', undefined, 'waiting'],
    ['Notification', 'permission_prompt', 'waiting'],
    ['Notification', 'idle_prompt', 'idle'],
    ['Notification', 'auth_success', undefined],
    ['Stop', undefined, 'idle'],
    ['StopFailure', undefined, 'failed'],
    ['SessionEnd', undefined, undefined],
    ['SomethingNew', undefined, undefined],
  ])('%s (%s) → %s', (event, notification, status) => {
    expect(
      statusForHook({ hook_event_name: event, ...(notification ? { notification_type: notification } : {}) }),
    ).toBe(status);
  });

  it('a SessionStart while a turn is open, or from a compaction, says nothing; otherwise idle', () => {
    expect(statusForHook({ hook_event_name: 'SessionStart', source: 'startup' }, true)).toBeUndefined();
    expect(statusForHook({ hook_event_name: 'SessionStart', source: 'resume' }, true)).toBeUndefined();
    expect(statusForHook({ hook_event_name: 'SessionStart', source: 'compact' })).toBeUndefined();
    for (const source of ['startup', 'resume', 'clear'])
      expect(statusForHook({ hook_event_name: 'SessionStart', source })).toBe('idle');
  });
});
