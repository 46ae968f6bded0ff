// One task in full: instructions, status history, result summary and details; re-route, retry (the
// routing panel), and cancel while it is open.
import { useState } from 'react';
import { isFinalTaskStatus, type TaskInfo } from '../../src-protocol/index.js';
import { BranchUsage } from '../tasks/BranchUsage.js';
import { useTaskHistory } from '../tasks/taskHistory.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';
import { MergePanel } from './MergePanel.js';
import { RoutePanel } from './RoutePanel.js';
import { StatusBadge } from './StatusBadge.js';

const time = (iso: string) => new Date(iso).toLocaleTimeString();

export function TaskInspector({ task: id }: { task: string }) {
  const task = useApp((state) => state.hub.tasks[id]);
  const owner = useApp((state) => state.hub.self?.role === 'owner');
  const [error, setError] = useState('');
  if (!task) return null;
  return <TaskDetail task={task} owner={owner} error={error} setError={setError} />;
}

function TaskDetail(props: {
  task: TaskInfo;
  owner: boolean;
  error: string;
  setError: (error: string) => void;
}) {
  const { task, owner, error, setError } = props;
  const { showPane, setUi } = useApp.getState();
  const history = useTaskHistory(task);
  return (
    <aside className="inspector" aria-label="Task" data-testid="task-inspector">
      <header>
        <h2>{task.title}</h2>
        <button
          type="button"
          className="small"
          aria-label="Close task"
          onClick={() => setUi({ selectedTask: null })}
        >
          ×
        </button>
      </header>
      <p className="task-route">
        {/* From the owner: plain text (a disabled link drew "owner" at half opacity, 2.3:1). */}
        {task.fromSession ? (
          <button type="button" className="link" onClick={() => showPane(task.fromSession!)}>
            {task.fromName}
          </button>
        ) : (
          <span data-testid="task-from">{task.fromName}</span>
        )}
        {' → '}
        <button type="button" className="link" onClick={() => showPane(task.toSession)}>
          {task.toName}
        </button>
      </p>
      <p>
        <StatusBadge status={task.status} task />{' '}
        <span className="muted">· deadline {time(task.deadlineAt)}</span>
      </p>
      <BranchUsage task={task.id} />
      <h3>Instructions</h3>
      <pre className="task-text">{task.instructions}</pre>
      <h3>History</h3>
      <ol className="task-history" data-testid="task-history">
        {history.map((entry, index) => (
          <li key={index}>
            <span className="muted">{time(entry.at)}</span> {entry.status.replace('_', ' ')}
          </li>
        ))}
      </ol>
      {task.result ? (
        <>
          <h3>Result</h3>
          <p className="task-summary" data-testid="task-summary">
            {task.result.summary}
          </p>
          {task.result.details ? <pre className="task-text">{task.result.details}</pre> : null}
        </>
      ) : null}
      {task.result?.diff ? (
        <MergePanel
          key={task.id}
          task={task.id}
          diff={task.result.diff}
          canMerge={owner && isFinalTaskStatus(task.status)}
        />
      ) : null}
      <RoutePanel key={`route-${task.id}`} task={task} />
      {owner && !isFinalTaskStatus(task.status) ? (
        <button
          type="button"
          className="danger"
          onClick={() =>
            void appSession.cancelTask(task.id).catch((failure: unknown) => setError(String(failure)))
          }
        >
          Cancel task (and its subtasks)
        </button>
      ) : null}
      {error ? <p className="error">{error}</p> : null}
      <p className="muted small-print">id {task.id}</p>
    </aside>
  );
}
