// Recent notices (task finished, permission wait, session ended); browser notifications for new ones.
import { useEffect, useRef, useState } from 'react';
import { appSession } from '../hub/appSession.js';
import { bridge } from '../hub/connection.js';
import type { Notice } from '../state/hubState.js';
import { useApp } from '../state/store.js';

const openNotice = (notice: Notice) => {
  const { showPane, setUi } = useApp.getState();
  if (notice.task) setUi({ selectedTask: notice.task });
  if (notice.session && notice.kind !== 'task') showPane(notice.session);
};

export function NoticesPanel() {
  const notices = useApp((state) => state.hub.notices);
  const { dispatch, setUi } = useApp.getState();
  const [permission, setPermission] = useState(
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  useEffect(() => {
    appSession.markNoticesRead(); // the hub's read mark, so other windows and the next visit agree
    dispatch({ type: 'local.noticesRead' });
  }, [notices, dispatch]);
  return (
    <aside className="notices" aria-label="Notifications" data-testid="notices">
      <header>
        <h2>Notifications</h2>
        <button
          type="button"
          className="small"
          aria-label="Close notifications"
          onClick={() => setUi({ noticesOpen: false })}
        >
          ×
        </button>
      </header>
      {!bridge() && permission === 'default' ? (
        <button
          type="button"
          className="small"
          onClick={() => void Notification.requestPermission().then(setPermission)}
        >
          Enable browser notifications
        </button>
      ) : null}
      {notices.length === 0 ? (
        <p className="empty">Nothing yet. Finished tasks and permission waits show up here.</p>
      ) : null}
      <ul>
        {notices.map((notice) => (
          <li
            key={notice.id}
            className={`notice notice-${notice.kind}${notice.status ? ` notice-${notice.status}` : ''}`}
            data-testid="notice"
          >
            <button type="button" className="notice-main" onClick={() => openNotice(notice)}>
              <strong>{notice.title}</strong>
              <span>{notice.body}</span>
              <time className="muted">{new Date(notice.at).toLocaleTimeString()}</time>
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** Shows new notices through the browser's Notification API (the desktop app notifies from its main process). */
export function useBrowserNotifications(): void {
  const notices = useApp((state) => state.hub.notices);
  const hubNotices = useApp((state) => state.hub.hubNotices);
  const seen = useRef(0);
  const listed = useRef(false);
  useEffect(() => {
    const newest = notices[0]?.id ?? 0;
    // The hub's list on load is history (issue 13), shown in the panel and counted unread, not news.
    if (hubNotices && !listed.current) {
      listed.current = true;
      seen.current = Math.max(seen.current, newest);
      return;
    }
    const fresh = notices.filter((notice) => notice.id > seen.current);
    seen.current = Math.max(seen.current, newest);
    if (bridge() || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    if (document.hasFocus()) return; // the in-page list is enough while the user looks at it
    for (const notice of fresh.reverse()) {
      const shown = new Notification(notice.title, { body: notice.body, tag: `switchboard-${notice.id}` });
      shown.onclick = () => {
        window.focus();
        openNotice(notice);
      };
    }
  }, [notices, hubNotices]);
}
