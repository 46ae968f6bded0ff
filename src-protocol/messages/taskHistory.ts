// A task's full status history as the hub's event table keeps it (issue 13 #10), so a client that connects
// late still sees every step, not only the changes it heard itself.
import { z } from 'zod';
import { lazySchema } from './lazy.js';
import { request, RequestIdSchema } from './base.js';
import { TaskStatusSchema } from './task.js';

export const TaskHistoryRequestSchema = lazySchema(() =>
  request('task.history', { task: z.string().min(1).max(100) }),
);

export const TaskStatusStepSchema = lazySchema(() => z.object({ at: z.string(), status: TaskStatusSchema }));
export type TaskStatusStep = z.infer<typeof TaskStatusStepSchema>;

export const TaskHistoryResultSchema = lazySchema(() =>
  z.object({
    type: z.literal('task.history.result'),
    replyTo: RequestIdSchema,
    task: z.string(),
    /** Every status the task was in, oldest first, with the hub's time of the change. */
    steps: z.array(TaskStatusStepSchema),
  }),
);
