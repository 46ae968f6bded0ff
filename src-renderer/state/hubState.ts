// The renderer's picture of the hub: a pure projection of hub events (`applyHubEvent`), with the notices
// that transitions raise. Terminal bytes never come here; they go straight to the terminal controllers.
import {
  isFinalTaskStatus,
  taskNotice,
  type AttachRole,
  type HubMessage,
  type JoinRequest,
  type PresenceEntry,
  type PrincipalRole,
  type SessionInfo,
  type TaskInfo,
  type TaskStatus,
} from '../../src-protocol/index.js';
import { withNoticeEvent, withNoticeList, type Notice } from './hubNotices.js';

export type { Notice, NoticeKind } from './hubNotices.js';

export interface HubState {
  self: { clientId: string; role: PrincipalRole; scope?: string } | null;
  sessions: Record<string, SessionInfo>;
  tasks: Record<string, TaskInfo>;
  /** Every status a task was seen in, oldest first, with the hub's time of the change. */
  taskHistory: Record<string, Array<{ status: TaskStatus; at: string }>>;
  leases: Record<string, { holder: string | null; pending: string[] }>;
  presence: Record<string, PresenceEntry[]>;
  /** Sessions this client is attached to, with the role the hub gave it (from the snapshot). */
  attachments: Record<string, { role: AttachRole; exited: boolean }>;
  notices: Notice[];
  unreadNotices: number;
  nextNoticeId: number;
  /** The hub keeps the notices (issue 13, state/hubNotices.ts): the window raises none of its own. */
  hubNotices: boolean;
  /** The hub's read mark: notices with a greater id are unread. */
  noticesReadUpTo: number;
  /** Joins waiting for the owner's approval (invites made with `approve`), oldest first. */
  joinRequests: JoinRequest[];
  /** The connection to this hub dropped and has not logged in again (the last state stays, greyed). */
  offline: boolean;
}

/** Events that come from this client rather than the hub. */
export type LocalEvent =
  | { type: 'local.detached'; session: string }
  | { type: 'local.noticesRead' }
  | { type: 'local.disconnected' };

export const MAX_NOTICES = 50;

export const initialHubState: HubState = {
  self: null,
  sessions: {},
  tasks: {},
  taskHistory: {},
  leases: {},
  presence: {},
  attachments: {},
  notices: [],
  unreadNotices: 0,
  joinRequests: [],
  offline: false,
  nextNoticeId: 1,
  hubNotices: false,
  noticesReadUpTo: 0,
};

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function notify(state: HubState, notice: Omit<Notice, 'id'>): HubState {
  if (state.hubNotices) return state; // the hub sends its own (notice.event)
  const notices = [{ ...notice, id: state.nextNoticeId }, ...state.notices].slice(0, MAX_NOTICES);
  return { ...state, notices, unreadNotices: state.unreadNotices + 1, nextNoticeId: state.nextNoticeId + 1 };
}

function withTask(state: HubState, task: TaskInfo, now: number, announce: boolean): HubState {
  const previous = state.tasks[task.id];
  const history = state.taskHistory[task.id] ?? [];
  const next: HubState = {
    ...state,
    tasks: { ...state.tasks, [task.id]: task },
    taskHistory:
      history.at(-1)?.status === task.status
        ? state.taskHistory
        : { ...state.taskHistory, [task.id]: [...history, { status: task.status, at: task.updatedAt }] },
  };
  const finished =
    isFinalTaskStatus(task.status) && (previous === undefined || !isFinalTaskStatus(previous.status));
  if (!announce || !finished) return next;
  return notify(next, {
    kind: 'task',
    ...taskNotice(task),
    status: task.status,
    session: task.toSession,
    task: task.id,
    at: now,
  });
}

function withSession(state: HubState, incoming: SessionInfo, now: number, announce: boolean): HubState {
  const previous = state.sessions[incoming.id];
  const session = withKnownDirtyState(incoming, previous);
  // Restarted in place (issue 13): the ended process's attachment is over; the new one attaches afresh.
  const restarted = previous?.status === 'ended' && session.status !== 'ended';
  const next: HubState = {
    ...state,
    ...(restarted ? { attachments: without(state.attachments, session.id) } : {}),
    sessions: { ...state.sessions, [session.id]: session },
    leases: {
      ...state.leases,
      [session.id]: { holder: session.leaseHolder, pending: state.leases[session.id]?.pending ?? [] },
    },
  };
  if (!announce || previous?.status === session.status) return next;
  if (session.status === 'waiting') {
    return notify(next, {
      kind: 'permission',
      title: `${session.name} is waiting for you`,
      body: 'It asks for a permission or an answer.',
      session: session.id,
      at: now,
    });
  }
  if (session.status === 'ended' && previous !== undefined) {
    const how = session.signal !== null ? `signal ${session.signal}` : `exit code ${session.exitCode ?? '?'}`;
    return notify(next, {
      kind: 'ended',
      title: `${session.name} ended`,
      body: `Its process ended (${how}).`,
      session: session.id,
      at: now,
    });
  }
  return next;
}

/**
 * Events carry `worktree.dirty: null` (the hub reads git only when listing): keep the last count read for
 * the same worktree rather than forgetting it.
 */
function withKnownDirtyState(session: SessionInfo, previous: SessionInfo | undefined): SessionInfo {
  const known = previous?.worktree;
  if (!session.worktree || session.worktree.dirty !== null || !known || known.path !== session.worktree.path)
    return session;
  return { ...session, worktree: { ...session.worktree, dirty: known.dirty } };
}

function withoutSession(state: HubState, id: string): HubState {
  return {
    ...state,
    sessions: without(state.sessions, id),
    leases: without(state.leases, id),
    presence: without(state.presence, id),
    attachments: without(state.attachments, id),
  };
}

/** Pure: the next state after one hub message or local event. Unrelated messages return `state` itself. */
export function applyHubEvent(state: HubState, event: HubMessage | LocalEvent, now: number): HubState {
  switch (event.type) {
    case 'auth.ok':
      return {
        ...state,
        offline: false,
        self: {
          clientId: event.clientId,
          role: event.role,
          ...(event.session ? { scope: event.session } : {}),
        },
      };
    case 'session.list.result': {
      let next: HubState = { ...state, sessions: {} };
      for (const session of event.sessions) next = withSession(next, session, now, false);
      return next;
    }
    case 'session.created':
      return withSession(state, event.session, now, false);
    case 'session.event':
      return event.kind === 'removed'
        ? withoutSession(state, event.session.id)
        : withSession(state, event.session, now, true);
    case 'task.list.result': {
      let next: HubState = state;
      for (const task of event.tasks) next = withTask(next, task, now, false);
      return next;
    }
    case 'task.result':
      return withTask(state, event.task, now, false);
    case 'task.event':
      return withTask(state, event.task, now, true);
    case 'lease.changed': {
      const session = state.sessions[event.session];
      return {
        ...state,
        leases: { ...state.leases, [event.session]: { holder: event.holder, pending: event.pending } },
        ...(session
          ? { sessions: { ...state.sessions, [event.session]: { ...session, leaseHolder: event.holder } } }
          : {}),
      };
    }
    case 'session.presence':
      return { ...state, presence: { ...state.presence, [event.session]: event.clients } };
    case 'join.event': {
      const others = state.joinRequests.filter((request) => request.id !== event.request.id);
      return { ...state, joinRequests: event.kind === 'pending' ? [...others, event.request] : others };
    }
    case 'pty.snapshot':
      return {
        ...state,
        attachments: {
          ...state.attachments,
          [event.session]: { role: event.role, exited: state.attachments[event.session]?.exited ?? false },
        },
      };
    case 'pty.exit': {
      const attachment = state.attachments[event.session];
      if (!attachment || attachment.exited) return state;
      return {
        ...state,
        attachments: { ...state.attachments, [event.session]: { ...attachment, exited: true } },
      };
    }
    case 'local.detached':
      return { ...state, attachments: without(state.attachments, event.session) };
    case 'notice.list.result':
      return withNoticeList(state, event, MAX_NOTICES);
    case 'notice.event':
      return withNoticeEvent(state, event, MAX_NOTICES);
    case 'local.noticesRead': {
      const readUpTo = state.hubNotices ? Math.max(state.noticesReadUpTo, state.notices[0]?.id ?? 0) : 0;
      if (state.unreadNotices === 0 && readUpTo === state.noticesReadUpTo) return state;
      return { ...state, unreadNotices: 0, noticesReadUpTo: readUpTo };
    }
    case 'local.disconnected':
      return { ...state, attachments: {}, presence: {}, offline: true };
    default:
      return state;
  }
}

/** Whether this client may type into a session now; otherwise the hint to show instead. */
export function inputGate(
  state: HubState,
  session: string,
): { allowed: true } | { allowed: false; hint: string } {
  if (state.offline)
    return { allowed: false, hint: 'The hub is unreachable: keystrokes are not sent until it is back.' };
  const attachment = state.attachments[session];
  if (!attachment) return { allowed: false, hint: 'Not attached yet.' };
  if (attachment.exited) return { allowed: false, hint: 'The session has ended; its final screen stays.' };
  if (attachment.role === 'observer')
    return {
      allowed: false,
      hint:
        state.self?.role === 'observer'
          ? 'This invite is for watching: keystrokes are not sent.'
          : 'You are observing: keystrokes are not sent. Switch to Co-drive to type.',
    };
  if (attachment.role === 'owner') return { allowed: true };
  const holder = state.leases[session]?.holder ?? null;
  if (holder === null || holder === state.self?.clientId) return { allowed: true };
  const entry = state.presence[session]?.find((candidate) => candidate.clientId === holder);
  return {
    allowed: false,
    hint: `${entry?.name ?? 'Someone else'} holds the input lease. Request control to type.`,
  };
}

/** Sessions grouped by directory, groups and members sorted by name. */
export function sessionsByDirectory(sessions: Record<string, SessionInfo>): Array<[string, SessionInfo[]]> {
  const groups = new Map<string, SessionInfo[]>();
  for (const session of Object.values(sessions)) {
    // A session in a worktree belongs with its repository, not under the hub's worktrees folder.
    const key = session.worktree?.repo ?? session.cwd;
    const group = groups.get(key) ?? [];
    group.push(session);
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cwd, members]) => [cwd, members.sort((a, b) => a.name.localeCompare(b.name))]);
}
