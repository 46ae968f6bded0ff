// The Inbox panel (issue 11): every open item from every session, oldest first, answered from the
// keyboard (j/k, a, A, d, 1–9, r, m, b, x, Enter) or the buttons; read-only with a reason for observers.
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { InboxAnswer, InboxItem } from '../../src-protocol/index.js';
import { appSession, type MergeMode } from '../hub/appSession.js';
import { useApp } from '../state/store.js';
import { InboxItemRow, type InboxForm, type ItemActions } from './InboxItemView.js';
import { inboxKey, keyHints, readOnlyReason } from './inboxText.js';
import { orderedItems } from './inboxState.js';
import { useInbox } from './inboxStore.js';
import './inbox.css';

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const message = (failure: unknown) => (failure instanceof Error ? failure.message : String(failure));

/** Fields and buttons handle their own keys; the panel's letters must not fire while typing in them. */
const ownsKey = (target: EventTarget, key: string) =>
  target instanceof HTMLTextAreaElement ||
  target instanceof HTMLInputElement ||
  (target instanceof HTMLButtonElement && (key === 'Enter' || key === ' '));

export function InboxPanel() {
  const open = useInbox((state) => state.open);
  return open ? <Panel /> : null;
}

function Panel() {
  const items = useInbox((state) => state.inbox.items);
  const selected = useInbox((state) => state.inbox.selected);
  const recent = useInbox((state) => state.inbox.recent);
  const status = useInbox((state) => state.status);
  const role = useApp((state) => state.hub.self?.role);
  const ordered = useMemo(() => orderedItems(items), [items]);
  const current = selected ? items[selected] : undefined;
  const now = useNow(5_000);
  const panel = useRef<HTMLElement>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [form, setForm] = useState<{ item: string; form: InboxForm } | null>(null);
  const [mergeKey, setMergeKey] = useState<{ item: string; mode: MergeMode; serial: number }>();
  const reason = readOnlyReason(role);
  const store = useInbox.getState;

  useEffect(() => panel.current?.focus(), []);

  const actions: ItemActions = {
    answer: async (item: InboxItem, answer: InboxAnswer) => {
      setBusy(item.id);
      store().setStatus(null);
      try {
        const answered = await appSession.answerItem(item.id, answer);
        store().setStatus({ text: `${item.sessionName}: ${answered.message}`, error: false });
        setForm(null);
      } catch (failure) {
        store().setStatus({ text: message(failure), error: true });
      } finally {
        setBusy(null);
        panel.current?.focus();
      }
    },
    merge: async (item, mode, force) => {
      const answered = await appSession.answerItem(item.id, {
        action: 'merge',
        mode,
        ...(force ? { force } : {}),
      });
      store().setStatus({ text: `${item.sessionName}: ${answered.message}`, error: false });
      return { message: answered.message, ...(answered.outcome ? { outcome: answered.outcome } : {}) };
    },
    open: (item: InboxItem) => {
      const { showPane, setUi } = useApp.getState();
      if (item.session) showPane(item.session); // a fault the owner asked for has no session
      if (item.review) setUi({ selectedTask: item.review.task });
    },
    setForm: (next: InboxForm) => {
      setForm(next && current ? { item: current.id, form: next } : null);
      if (!next) panel.current?.focus();
    },
  };

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (ownsKey(event.target, event.key)) return;
    const action = inboxKey(event, current);
    if (!action) return;
    event.preventDefault(); // the letter must not also land in a field this key opens
    event.stopPropagation();
    if (action.type === 'move') {
      setForm(null);
      return store().move(action.delta);
    }
    if (action.type === 'close') return form ? setForm(null) : store().setOpen(false);
    if (!current) return;
    if (action.type === 'open') return actions.open(current);
    if (current.readOnly) return store().setStatus({ text: reason, error: true });
    if (busy) return;
    switch (action.type) {
      case 'allow':
        return void actions.answer(current, { action: 'allow', ...(action.always ? { always: true } : {}) });
      case 'choose':
        return void actions.answer(current, { action: 'choose', choice: action.choice });
      case 'deny':
      case 'reply':
        return setForm({ item: current.id, form: action.type });
      case 'merge':
        return setMergeKey({ item: current.id, mode: action.mode, serial: (mergeKey?.serial ?? 0) + 1 });
      case 'dismiss':
        return void actions.answer(current, { action: 'dismiss' });
    }
  };

  return (
    <aside
      ref={panel}
      className="inbox"
      aria-label="Inbox"
      data-testid="inbox"
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header>
        <h2>
          Inbox <span className="muted">{ordered.length}</span>
        </h2>
        <button
          type="button"
          className="small"
          aria-label="Close the inbox"
          onClick={() => store().setOpen(false)}
        >
          ×
        </button>
      </header>
      {status ? (
        <p className={status.error ? 'error' : 'inbox-status'} role="status" data-testid="inbox-status">
          {status.text}
        </p>
      ) : null}
      {ordered.length === 0 ? (
        <p className="empty" data-testid="inbox-empty">
          Nothing needs you. Permission requests, dialogs, questions and finished work from every session show
          up here.
        </p>
      ) : (
        <ul className="inbox-list" role="listbox" aria-label="Items">
          {ordered.map((item) => (
            <InboxItemRow
              key={item.id}
              item={item}
              selected={item.id === selected}
              now={now}
              busy={busy === item.id}
              form={form?.item === item.id ? form.form : null}
              readOnlyReason={reason}
              mergeKey={mergeKey?.item === item.id ? mergeKey : undefined}
              actions={actions}
              onSelect={() => {
                store().select(item.id);
                panel.current?.focus();
              }}
            />
          ))}
        </ul>
      )}
      {recent.length > 0 ? (
        <section className="inbox-recent" data-testid="inbox-recent">
          <h3>Just closed</h3>
          <ul>
            {recent.slice(0, 3).map((entry) => (
              <li key={entry.id}>
                {entry.title} <span className="muted">— {entry.reason}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <footer className="inbox-keys" data-testid="inbox-keys">
        {keyHints(current).map((hint) => (
          <span key={hint}>{hint}</span>
        ))}
      </footer>
    </aside>
  );
}
