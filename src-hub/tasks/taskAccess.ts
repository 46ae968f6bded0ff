// Who may do what with tasks: which sessions take tasks and messages, which sessions a worker reaches,
// which tasks a caller sees, and which open task a report without task_id means. Each refusal says what
// to do instead.
import { HubError, type TaskInfo } from '../../src-protocol/index.js';
import type { Session } from '../sessions/session.js';

/** Tasks go to a live Claude session other than the caller. */
export function checkTarget(callerSession: string | undefined, target: Session): void {
  if (target.kind !== 'claude') {
    throw new HubError(
      'not_allowed',
      `Session "${target.name}" is not a Claude session; tasks go to Claude sessions.`,
    );
  }
  if (target.isEnded)
    throw new HubError('session_ended', `Session "${target.name}" has ended; delegate to another.`);
  if (callerSession === target.id) throw new HubError('not_allowed', 'A session cannot delegate to itself.');
}

/**
 * Messages are typed into Claude's prompt, so they go only to Claude sessions (Docker workers included):
 * typed into a shell or another program they would run as its input (issue 9).
 */
export function checkMessageTarget(target: Session): void {
  if (target.kind !== 'claude') {
    throw new HubError(
      'not_allowed',
      `Session "${target.name}" is not a Claude session; messages go only to Claude sessions, as input ` +
        'to their prompt. To type into another program, its owner uses `switchboard send`.',
    );
  }
  if (target.isEnded)
    throw new HubError('session_ended', `Session "${target.name}" has ended; message another session.`);
}

/** The sessions that share a task with `session`: whoever gave it one, and whoever it gave one to. */
export function taskPartners(session: string, tasks: TaskInfo[]): Set<string> {
  const partners = new Set<string>();
  for (const task of tasks) {
    if (task.toSession === session && task.fromSession !== null) partners.add(task.fromSession);
    if (task.fromSession === session) partners.add(task.toSession);
  }
  partners.delete(session);
  return partners;
}

/** What a worker is told when it names a session outside its reach (whether or not that session exists). */
export function outOfReach(reference: string): HubError {
  return new HubError(
    'not_allowed',
    `No session "${reference}" that shares a task with you: a worker reaches only the session that gave it ` +
      'its task and the sessions it delegated to (list_sessions shows them).',
  );
}

/** A session sees the tasks it delegated or was given; the owner (no session) sees all. */
export function checkVisible(callerSession: string | undefined, task: TaskInfo): void {
  if (callerSession !== undefined && task.fromSession !== callerSession && task.toSession !== callerSession)
    throw new HubError('unknown_task', `No task "${task.id}" of yours; list_tasks shows yours.`);
}

/** The one open task a report without task_id is about. */
export function onlyOpenTask(open: TaskInfo[]): TaskInfo {
  if (open.length === 1) return open[0]!;
  if (open.length === 0)
    throw new HubError(
      'unknown_task',
      'You have no open task to report; pass task_id if you mean a closed one.',
    );
  throw new HubError(
    'invalid_message',
    `You have ${open.length} open tasks (${open.map((task) => task.id).join(', ')}); pass task_id.`,
  );
}
