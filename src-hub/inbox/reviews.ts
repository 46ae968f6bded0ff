// Review items: a task that ended in a worktree with changes waits for someone to merge, rebase or
// discard its work (the existing worktree merge, workspaces/taskWorktrees.ts). A conflict leaves the item
// open, saying so; the owner's `switchboard merge` of the same task closes it too.
import { isFinalTaskStatus, type TaskInfo } from '../../src-protocol/index.js';
import type { MergeMode, MergeOutcome } from '../workspaces/worktrees.js';
import type { Inbox, InboxRecord } from './inbox.js';

export interface ReviewPorts {
  inbox: Inbox;
  merge(task: string, mode: MergeMode, force: boolean): Promise<MergeOutcome>;
  context(session: string): Pick<InboxRecord, 'task' | 'chain'>;
}

const OUTCOME_WORDS = { merged: 'Merged', rebased: 'Rebased', discarded: 'Discarded' } as const;

export class ReviewItems {
  /** Review item ids by task. */
  private readonly byTask = new Map<string, string>();

  constructor(private readonly ports: ReviewPorts) {}

  taskChanged(task: TaskInfo): void {
    const diff = task.result?.diff;
    if (!isFinalTaskStatus(task.status) || !diff || diff.files === 0 || this.byTask.has(task.id)) return;
    const { inbox } = this.ports;
    const id = inbox.newId();
    this.byTask.set(task.id, id);
    const summary = task.result?.summary ?? '';
    inbox.add({
      item: {
        id,
        kind: 'review',
        session: task.toSession,
        sessionName: task.toName,
        title: `Task ${task.status}: ${task.title} (${diff.files} files, +${diff.insertions} −${diff.deletions})`,
        message: summary,
        review: {
          task: task.id,
          branch: diff.branch,
          files: diff.files,
          insertions: diff.insertions,
          deletions: diff.deletions,
          summary,
        },
        task: { id: task.id, title: task.title },
        chain: this.ports.context(task.toSession).chain ?? [],
        since: inbox.since(),
      },
      answer: async (answer) => {
        if (answer.action !== 'merge')
          return { message: 'Answer a review with merge, rebase or discard.', keepOpen: true };
        const outcome = await this.ports.merge(task.id, answer.mode, answer.force === true);
        if (outcome.outcome === 'conflict')
          return { message: outcome.message, outcome: 'conflict', keepOpen: true };
        this.byTask.delete(task.id);
        return {
          message: `${OUTCOME_WORDS[outcome.outcome]} ${outcome.branch}. ${outcome.message}`.trim(),
          outcome: outcome.outcome,
        };
      },
    });
  }

  /** The task's work was merged, rebased or discarded elsewhere (`worktree.merge`, `switchboard merge`). */
  merged(task: string): void {
    const id = this.byTask.get(task);
    if (!id) return;
    this.byTask.delete(task);
    this.ports.inbox.remove(id, 'gone');
  }
}
