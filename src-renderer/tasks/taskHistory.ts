// A task's status history for the inspector (issue 13 #10): what the hub recorded (`task.history`), then
// any change this window heard after it asked; before the answer, what the window heard itself.
import { useEffect, useState } from 'react';
import type { TaskInfo, TaskStatusStep } from '../../src-protocol/index.js';
import { mergeHistory } from './mergeHistory.js';
import { appSession } from '../hub/appSession.js';
import { useApp } from '../state/store.js';

export function useTaskHistory(task: TaskInfo): TaskStatusStep[] {
  const live = useApp((state) => state.hub.taskHistory[task.id]);
  const [kept, setKept] = useState<TaskStatusStep[] | null>(null);
  useEffect(() => {
    let current = true;
    appSession.hub
      .expect('task.history.result', { type: 'task.history', task: task.id })
      .then((reply) => current && setKept(reply.steps))
      .catch(() => undefined); // a hub without it, or gone: the steps heard here stay
    return () => {
      current = false;
    };
  }, [task.id, task.status]);
  return mergeHistory(kept, live, task);
}
