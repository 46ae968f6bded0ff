// The top bar's Inbox button: how many items need you, on every screen; opens and closes the panel.
import { useInbox } from './inboxStore.js';

function TrayIcon() {
  return (
    <svg
      width="14"
      height="14"
      viewBox="0 0 24 24"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
    >
      <path d="M22 12h-6l-2 3h-4l-2-3H2" />
      <path d="M5.45 5.11 2 12v6a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2v-6l-3.45-6.89A2 2 0 0 0 16.76 4H7.24a2 2 0 0 0-1.79 1.11z" />
    </svg>
  );
}

export function InboxButton() {
  const loaded = useInbox((state) => state.inbox.loaded);
  const count = useInbox((state) => Object.keys(state.inbox.items).length);
  const open = useInbox((state) => state.open);
  if (!loaded) return null;
  return (
    <button
      type="button"
      className={`inbox-button${open ? ' on' : ''}`}
      onClick={() => useInbox.getState().setOpen(!open)}
      aria-label={`Inbox: ${count} item${count === 1 ? '' : 's'} need${count === 1 ? 's' : ''} you`}
      aria-pressed={open}
      title="Inbox (Ctrl+Shift+X)"
      data-testid="inbox-button"
    >
      <TrayIcon /> Inbox
      {count > 0 ? (
        <span className="badge" data-testid="inbox-count">
          {count}
        </span>
      ) : null}
    </button>
  );
}
