// One inbox item in the panel: a row (kind, session, title, age) and, when selected, what it asks in full
// (the command, the file and its diff, the dialog's choices, the question) with the buttons that answer it.
import { useEffect, useRef, useState } from 'react';
import type { InboxAnswer, InboxItem } from '../../src-protocol/index.js';
import { MergePanel } from '../components/MergePanel.js';
import type { MergeMode } from '../hub/appSession.js';
import { KIND_LABEL, ago, chainText, inputView, patchLines } from './inboxText.js';

export type InboxForm = 'deny' | 'reply' | null;

export interface ItemActions {
  answer: (item: InboxItem, answer: InboxAnswer) => Promise<unknown>;
  open: (item: InboxItem) => void;
  setForm: (form: InboxForm) => void;
  /** Review items: carries out a merge through the item (the panel then says what happened). */
  merge: (
    item: InboxItem,
    mode: MergeMode,
    force: boolean,
  ) => Promise<{ message: string; outcome?: 'merged' | 'rebased' | 'discarded' | 'conflict' }>;
}

interface ItemProps {
  item: InboxItem;
  selected: boolean;
  now: number;
  busy: boolean;
  form: InboxForm;
  readOnlyReason: string;
  mergeKey: { mode: MergeMode; serial: number } | undefined;
  actions: ItemActions;
  onSelect: () => void;
}

export function InboxItemRow(props: ItemProps) {
  const { item, selected, now, onSelect } = props;
  const row = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (selected) row.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  return (
    <li
      ref={row}
      className={`inbox-item kind-${item.kind}${selected ? ' selected' : ''}`}
      data-testid="inbox-item"
      data-item={item.id}
      data-kind={item.kind}
      aria-selected={selected}
      role="option"
      onClick={onSelect}
    >
      <div className="inbox-item-head">
        <span className={`inbox-kind kind-${item.kind}`}>{KIND_LABEL[item.kind]}</span>
        <strong className="inbox-session">{item.sessionName}</strong>
        <time className="muted" dateTime={item.since} title={new Date(item.since).toLocaleString()}>
          {ago(item.since, now)}
        </time>
      </div>
      <div className="inbox-title">{item.title}</div>
      {selected ? <ItemDetail {...props} /> : null}
    </li>
  );
}

function ItemDetail({ item, now, busy, form, readOnlyReason, mergeKey, actions }: ItemProps) {
  const locked = item.readOnly || busy;
  const chain = chainText(item);
  return (
    <div className="inbox-detail" data-testid="inbox-detail" onClick={(event) => event.stopPropagation()}>
      {item.task ? (
        <p className="inbox-task">
          <span className="muted">Task</span> {item.task.title}
          {chain ? (
            <span className="inbox-chain" data-testid="inbox-chain">
              {chain}
            </span>
          ) : null}
        </p>
      ) : chain ? (
        <p className="inbox-chain" data-testid="inbox-chain">
          {chain}
        </p>
      ) : null}
      {item.kind === 'permission' ? <PermissionBody item={item} now={now} /> : null}
      {item.message && item.kind !== 'permission' && item.message !== item.title ? (
        <pre className="inbox-message">{item.message}</pre>
      ) : null}
      {item.readOnly ? (
        <p className="inbox-readonly" data-testid="inbox-readonly">
          {readOnlyReason}
        </p>
      ) : null}
      {item.kind === 'review' && item.review ? (
        <MergePanel
          key={item.id}
          task={item.review.task}
          diff={item.review}
          canMerge={!item.readOnly}
          perform={(mode, force) => actions.merge(item, mode, force)}
          keyRequest={mergeKey}
        />
      ) : null}
      <div className="inbox-actions">
        <Answers item={item} locked={locked} readOnlyReason={readOnlyReason} actions={actions} />
        <button
          type="button"
          className="small"
          onClick={() => actions.open(item)}
          title="Open the session (Enter)"
        >
          Open
        </button>
      </div>
      {form === 'deny' && !item.readOnly ? (
        <TextForm
          label="Message for the model (optional)"
          submit="Deny"
          danger
          required={false}
          onSubmit={(message) => actions.answer(item, { action: 'deny', ...(message ? { message } : {}) })}
          onCancel={() => actions.setForm(null)}
        />
      ) : null}
      {form === 'reply' && !item.readOnly ? (
        <TextForm
          label="Reply, typed into the session"
          submit="Send"
          required
          onSubmit={(text) => actions.answer(item, { action: 'reply', text })}
          onCancel={() => actions.setForm(null)}
        />
      ) : null}
    </div>
  );
}

function PermissionBody({ item, now }: { item: InboxItem; now: number }) {
  const view = inputView(item);
  return (
    <>
      <p className="inbox-tool">
        <span className="muted">Tool</span> <code>{item.tool ?? 'unknown'}</code>
      </p>
      {view.command !== undefined ? (
        <pre className="inbox-command" data-testid="inbox-command">
          {item.diff ? view.command : `$ ${view.command}`}
        </pre>
      ) : null}
      {view.fields.length > 0 ? (
        <dl className="inbox-fields">
          {view.fields.map(([key, value]) => (
            <div key={key}>
              <dt>{key}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {item.diff ? (
        <pre className="inbox-diff" data-testid="inbox-diff">
          {patchLines(item.diff.patch).map((line, index) => (
            <span key={index} className={`diff-${line.kind}`}>
              {line.text}
              {'\n'}
            </span>
          ))}
        </pre>
      ) : null}
      {item.expiresAt ? (
        <p className="muted inbox-expiry">
          Claude Code&apos;s own prompt takes over in{' '}
          {ago(new Date(now).toISOString(), Date.parse(item.expiresAt))}.
        </p>
      ) : null}
    </>
  );
}

function Answers({
  item,
  locked,
  readOnlyReason,
  actions,
}: {
  item: InboxItem;
  locked: boolean;
  readOnlyReason: string;
  actions: ItemActions;
}) {
  const title = (text: string) => (item.readOnly ? readOnlyReason : text);
  if (item.kind === 'permission')
    return (
      <>
        <button
          type="button"
          className="primary small"
          disabled={locked}
          title={title('Allow once (a)')}
          onClick={() => void actions.answer(item, { action: 'allow' })}
        >
          Allow
        </button>
        {item.suggestions && item.suggestions.length > 0 ? (
          <button
            type="button"
            className="small"
            disabled={locked}
            title={title(`Always allow for this session (A): ${item.suggestions.join('; ')}`)}
            onClick={() => void actions.answer(item, { action: 'allow', always: true })}
          >
            Always allow
          </button>
        ) : null}
        <button
          type="button"
          className="small danger"
          disabled={locked}
          title={title('Deny, with a message the model sees (d)')}
          onClick={() => actions.setForm('deny')}
        >
          Deny…
        </button>
      </>
    );
  if (item.kind === 'dialog')
    return (
      <div className="inbox-choices" role="group" aria-label="Choices">
        {(item.choices ?? []).map((choice, index) => (
          <button
            type="button"
            key={choice.id}
            className={`small${choice.current ? ' current' : ''}`}
            disabled={locked}
            title={title(index < 9 ? `Choose (${index + 1})` : 'Choose')}
            onClick={() => void actions.answer(item, { action: 'choose', choice: choice.id })}
          >
            {index < 9 ? <kbd>{index + 1}</kbd> : null} {choice.label}
          </button>
        ))}
      </div>
    );
  if (item.kind === 'question')
    return (
      <button
        type="button"
        className="primary small"
        disabled={locked}
        title={title('Type a reply into the session (r)')}
        onClick={() => actions.setForm('reply')}
      >
        Reply…
      </button>
    );
  if (item.kind === 'fault')
    return (
      <button
        type="button"
        className="small"
        disabled={locked}
        title={title('Dismiss, once what it says is fixed (x)')}
        onClick={() => void actions.answer(item, { action: 'dismiss' })}
      >
        Dismiss
      </button>
    );
  return null;
}

/** The deny message or the reply: Enter sends (Shift+Enter: a new line), Esc cancels. */
function TextForm(props: {
  label: string;
  submit: string;
  required: boolean;
  danger?: boolean;
  onSubmit: (text: string) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [text, setText] = useState('');
  const send = () => {
    if (props.required && text.trim() === '') return;
    void props.onSubmit(text.trim());
  };
  return (
    <form
      className="inbox-form"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <label>
        {props.label}
        <textarea
          autoFocus
          rows={2}
          value={text}
          data-testid="inbox-text"
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            event.stopPropagation();
            if (event.key === 'Escape') props.onCancel();
            if (event.key === 'Enter' && !event.shiftKey) {
              event.preventDefault();
              send();
            }
          }}
        />
      </label>
      <div className="inbox-actions">
        <button type="submit" className={`small ${props.danger ? 'danger' : 'primary'}`}>
          {props.submit}
        </button>
        <button type="button" className="small" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
