// What the hub types into sessions about tasks: the task itself, and one-line notices (results, cancels,
// a resume after a restart). Claude Code's system prompt addition explains both prefixes.
import type { TaskInfo, TaskStatus } from '../../src-protocol/index.js';

/** The text flattened to one line and cut to `max` characters. */
export function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function taskPrompt(task: Pick<TaskInfo, 'id' | 'title' | 'fromName' | 'instructions'>): string {
  return (
    `[switchboard task ${task.id}] ${task.title} (from ${task.fromName})\n${task.instructions}\n` +
    `When you are done, call report_result with task_id "${task.id}".`
  );
}

export function resultNotice(
  task: Pick<TaskInfo, 'id' | 'title'>,
  status: TaskStatus,
  summary: string,
): string {
  return `[switchboard] task ${task.id} "${oneLine(task.title, 60)}" ${status}: ${oneLine(summary, 300)}`;
}

export function cancelNotice(task: Pick<TaskInfo, 'id'>, reason: string): string {
  return `[switchboard] task ${task.id} was ${reason}; stop working on it and do not report it.`;
}

export function resumeNotice(task: Pick<TaskInfo, 'id' | 'title'>): string {
  return (
    `[switchboard] The hub restarted and resumed this conversation. Task ${task.id} ("${task.title}") ` +
    'is still open: carry on with it, and finish with report_result.'
  );
}
