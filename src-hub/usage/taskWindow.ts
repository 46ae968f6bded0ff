// A task's own token use (issue 13 #6): the messages its worker session's transcript holds from the task's
// delivery to its end, so a session that worked on several tasks has each task's share, not its whole use.
import type { TaskUsage } from '../../src-protocol/index.js';
import { sumUsage, type MessageUsage } from './transcript.js';

/** When a task was on its session, in ms since the epoch; `to` null while it runs (up to now). */
export interface TaskWindow {
  from: number;
  to: number | null;
}

/**
 * The use of the messages that began inside the window. When a message has no time (nothing to place it
 * by), the whole session's use, marked approximate: never a guess at a split.
 */
export function windowUsage(messages: readonly MessageUsage[], window: TaskWindow): TaskUsage {
  const timed = messages.every((message) => message.at !== null);
  const inside = timed
    ? messages.filter(({ at }) => at! >= window.from && (window.to === null || at! <= window.to))
    : messages;
  const newest = inside.at(-1);
  return { model: newest?.model ?? null, ...sumUsage(inside), approximate: !timed };
}

const OPEN = new Set(['queued', 'delivered', 'running']);

/**
 * A task's window from its recorded status changes (oldest first): from its first delivery (or start) to
 * its first final status. Null when it was never delivered (it used nothing).
 */
export function taskWindow(steps: ReadonlyArray<{ at: string; status: string }>): TaskWindow | null {
  const start = steps.find((step) => step.status === 'delivered' || step.status === 'running');
  const from = start ? Date.parse(start.at) : NaN;
  if (!Number.isFinite(from)) return null;
  const end = steps.find((step) => !OPEN.has(step.status));
  const to = end ? Date.parse(end.at) : NaN;
  return { from, to: Number.isFinite(to) ? to : null };
}
