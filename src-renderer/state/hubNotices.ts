// Notices as the hub keeps them (issue 13): once the hub has sent its list, the window shows the hub's
// notices (the same in every window, kept across reloads) instead of raising its own, and the unread count
// is what lies past the hub's read mark, so what ended while no window was open shows as unread.
import type { HubMessageOf, HubNotice, TaskStatus } from '../../src-protocol/index.js';

export type NoticeKind = 'task' | 'permission' | 'ended';

export interface Notice {
  id: number;
  kind: NoticeKind;
  title: string;
  body: string;
  session?: string;
  task?: string;
  /** For a task's notice: how it ended (its colour follows the status palette). */
  status?: TaskStatus;
  /** Milliseconds since the epoch, from the caller's clock. */
  at: number;
}

/** The part of the hub state (hubState.ts) that notices live in. */
interface NoticeState {
  notices: Notice[];
  unreadNotices: number;
  hubNotices: boolean;
  noticesReadUpTo: number;
}

export function noticeFromHub(notice: HubNotice): Notice {
  return {
    id: notice.id,
    kind: notice.kind,
    title: notice.title,
    body: notice.body,
    at: Date.parse(notice.at),
    ...(notice.session ? { session: notice.session } : {}),
    ...(notice.task ? { task: notice.task } : {}),
    ...(notice.status ? { status: notice.status } : {}),
  };
}

const unreadPast = (notices: Notice[], readUpTo: number) =>
  notices.filter((notice) => notice.id > readUpTo).length;

/** `max`: how many the window shows (hubState.ts MAX_NOTICES). */
export function withNoticeList<S extends NoticeState>(
  state: S,
  list: HubMessageOf<'notice.list.result'>,
  max: number,
): S {
  const notices = list.notices.map(noticeFromHub).slice(0, max);
  return {
    ...state,
    hubNotices: true,
    notices,
    noticesReadUpTo: list.readUpTo,
    unreadNotices: unreadPast(notices, list.readUpTo),
  };
}

export function withNoticeEvent<S extends NoticeState>(
  state: S,
  event: HubMessageOf<'notice.event'>,
  max: number,
): S {
  if (!state.hubNotices) return state; // the list comes first; until then the window's own rules apply
  const added = event.notice;
  const notices =
    added && !state.notices.some((notice) => notice.id === added.id)
      ? [noticeFromHub(added), ...state.notices].slice(0, max)
      : state.notices;
  const readUpTo = Math.max(state.noticesReadUpTo, event.readUpTo);
  return { ...state, notices, noticesReadUpTo: readUpTo, unreadNotices: unreadPast(notices, readUpTo) };
}
