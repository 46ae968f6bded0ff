// A session or task status as a coloured dot and a word. A task's status takes the task tones (`task-*`):
// a running task is drawn like its working session and its edge, not like a running shell.
import type { SessionStatus, TaskStatus } from '../../src-protocol/index.js';

export function StatusBadge({
  status,
  compact = false,
  task = false,
}: {
  status: SessionStatus | TaskStatus | 'owner';
  compact?: boolean;
  /** The status is a task's (same words as a session's, other tones). */
  task?: boolean;
}) {
  return (
    <span className={`status ${task ? 'task' : 'status'}-${status}`} title={status} data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {compact ? null : <span className="status-word">{status.replace('_', ' ')}</span>}
    </span>
  );
}
