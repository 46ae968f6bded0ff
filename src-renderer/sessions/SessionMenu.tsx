// A session's menu (the sidebar row's ⋯ and the pane bar's ⋯): Rename, Restart (ended), Duplicate, Kill
// (running, asked to confirm) and Remove (ended). The owner's, on the window's own hub only.
import { useEffect, useRef, useState } from 'react';
import { sessionNameProblem, type SessionInfo } from '../../src-protocol/index.js';
import { useDismiss } from '../components/useDismiss.js';
import { sessionActions } from './sessionActions.js';
import './sessions.css';

type Step = 'menu' | 'rename' | 'kill';

function SessionMenuPopup(props: { session: SessionInfo; onClose: () => void }) {
  const { session, onClose } = props;
  const ended = session.status === 'ended';
  const box = useRef<HTMLDivElement>(null);
  const [step, setStep] = useState<Step>('menu');
  const [name, setName] = useState(session.name);
  const [error, setError] = useState('');
  useDismiss(box, onClose);
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input, button:not(:disabled)')?.focus();
  }, [step]);
  const run = (action: () => Promise<unknown>) =>
    void action().then(onClose, (failure: unknown) =>
      setError(failure instanceof Error ? failure.message : String(failure)),
    );
  return (
    <div
      ref={box}
      className="context-menu session-menu"
      role="menu"
      aria-label={`Session ${session.name}`}
      data-testid="session-menu"
      onClick={(event) => event.stopPropagation()}
    >
      {step === 'menu' ? (
        <>
          <button type="button" role="menuitem" onClick={() => setStep('rename')}>
            Rename…
          </button>
          {ended && !session.worker ? (
            <button
              type="button"
              role="menuitem"
              onClick={() => run(() => sessionActions.restart(session.id))}
            >
              Restart
            </button>
          ) : null}
          {!session.worker ? (
            <button
              type="button"
              role="menuitem"
              onClick={() => run(() => sessionActions.duplicate(session.id))}
            >
              Duplicate
            </button>
          ) : null}
          <hr />
          {ended ? (
            <button
              type="button"
              role="menuitem"
              onClick={() => run(() => sessionActions.remove(session.id))}
            >
              Remove from list
            </button>
          ) : (
            <button type="button" role="menuitem" className="danger" onClick={() => setStep('kill')}>
              Kill…
            </button>
          )}
        </>
      ) : null}
      {step === 'rename' ? (
        <form
          className="session-rename"
          onSubmit={(event) => {
            event.preventDefault();
            const problem = sessionNameProblem(name.trim());
            if (problem) return setError(problem);
            run(() => sessionActions.rename(session.id, name.trim()));
          }}
        >
          <label>
            New name
            <input value={name} aria-label="New name" onChange={(event) => setName(event.target.value)} />
          </label>
          <button type="submit">Rename</button>
        </form>
      ) : null}
      {step === 'kill' ? (
        <div className="session-confirm" role="alertdialog" aria-label="Confirm kill">
          <p>
            Kill <b>{session.name}</b>? Its processes end; it stays listed as ended.
          </p>
          <button type="button" className="danger" onClick={() => run(() => sessionActions.kill(session.id))}>
            Kill {session.name}
          </button>
          <button type="button" onClick={onClose}>
            Keep it running
          </button>
        </div>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The ⋯ button and its menu. */
export function SessionMenu({ session, label = '⋯' }: { session: SessionInfo; label?: string }) {
  const [open, setOpen] = useState(false);
  return (
    <span className="session-menu-anchor">
      <button
        type="button"
        className="small session-menu-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Actions for ${session.name}`}
        title="Rename, restart, duplicate, kill"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(!open);
        }}
      >
        {label}
      </button>
      {open ? <SessionMenuPopup session={session} onClose={() => setOpen(false)} /> : null}
    </span>
  );
}
