// A task edge's menu in the graph (right-click, or the ⋯ button of its row below the graph): open it,
// retry it, cancel it (issue 17), and its branch's token use (issue 13). Escape or a click elsewhere closes it.
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { isFinalTaskStatus } from '../../src-protocol/index.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';
import { BranchUsage } from '../tasks/BranchUsage.js';

export interface EdgeMenuAt {
  task: string;
  x: number;
  y: number;
}

export function EdgeMenu({ at, onClose }: { at: EdgeMenuAt; onClose: () => void }) {
  const task = useApp((state) => state.hub.tasks[at.task]);
  const { setUi } = useApp.getState();
  const menu = useRef<HTMLDivElement>(null);
  const [error, setError] = useState('');
  useEffect(() => menu.current?.querySelector('button')?.focus(), []);
  // Opened near the window's edge (the ⋯ of a row at the bottom), the menu moves up or left to stay whole.
  const [place, setPlace] = useState({ left: at.x, top: at.y });
  useLayoutEffect(() => {
    const box = menu.current?.getBoundingClientRect();
    if (!box) return;
    const left = Math.max(4, Math.min(at.x, window.innerWidth - box.width - 4));
    const top = Math.max(4, Math.min(at.y, window.innerHeight - box.height - 4));
    setPlace((was) => (was.left === left && was.top === top ? was : { left, top }));
  });
  if (!task) return null;
  const open = !isFinalTaskStatus(task.status);
  const run = (action: () => Promise<unknown>) =>
    void action().then(onClose, (failure: unknown) =>
      setError(failure instanceof Error ? failure.message : String(failure)),
    );
  return (
    <div
      ref={menu}
      className="edge-menu"
      role="menu"
      aria-label={`Task ${task.title}`}
      data-testid="edge-menu"
      style={place}
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
      onBlur={(event) => !event.currentTarget.contains(event.relatedTarget) && onClose()}
    >
      <button type="button" role="menuitem" onClick={() => (setUi({ selectedTask: task.id }), onClose())}>
        Open task
      </button>
      {!task.retriedAs && task.status !== 'queued' ? (
        <button
          type="button"
          role="menuitem"
          onClick={() =>
            run(() =>
              appSession
                .retryTask(task.id, task.status === 'running' ? { force: true } : {})
                .then((copy) => setUi({ selectedTask: copy.id })),
            )
          }
        >
          {task.status === 'running' ? 'Cancel and retry' : 'Retry'}
        </button>
      ) : null}
      {open ? (
        <button
          type="button"
          role="menuitem"
          className="danger"
          onClick={() => run(() => appSession.cancelTask(task.id))}
        >
          Cancel task
        </button>
      ) : null}
      <BranchUsage task={task.id} />
      {error ? <p className="error">{error}</p> : null}
    </div>
  );
}
