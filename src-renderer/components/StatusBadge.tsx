// A session or task status as a coloured dot and a word.
import type { SessionStatus, TaskStatus } from '../../src-protocol/index.js';

export function StatusBadge({
  status,
  compact = false,
}: {
  status: SessionStatus | TaskStatus | 'owner';
  compact?: boolean;
}) {
  return (
    <span className={`status status-${status}`} title={status} data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {compact ? null : <span className="status-word">{status.replace('_', ' ')}</span>}
    </span>
  );
}
