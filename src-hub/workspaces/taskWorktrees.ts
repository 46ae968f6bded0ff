// Worktrees seen through tasks: merging the work a task did back, and cleaning up after ended sessions.
import { HubError, isFinalTaskStatus } from '../../src-protocol/index.js';
import type { Logger } from '../logger.js';
import type { TaskRouter } from '../tasks/router.js';
import type { MergeMode, MergeOutcome, WorktreeManager } from './worktrees.js';

export type WorktreeCleanup = 'when-clean' | 'keep';

export class TaskWorktrees {
  private readonly cleanedUp = new Set<string>();

  constructor(
    private readonly worktrees: WorktreeManager,
    private readonly router: TaskRouter,
    private readonly logger: Logger,
    private readonly cleanupPolicy: WorktreeCleanup,
    /** Why a session's work is not on its branch yet (a pod worker still running), if it is not. */
    private readonly workPending: (sessionId: string) => string | undefined = () => undefined,
  ) {}

  /** After a session ended (and its tasks closed with their diffs): remove its worktree if it holds nothing. */
  async sessionEnded(sessionId: string): Promise<void> {
    const worktree = this.worktrees.forSession(sessionId);
    if (!worktree || this.cleanupPolicy === 'keep' || this.cleanedUp.has(sessionId)) return;
    this.cleanedUp.add(sessionId);
    const outcome = await this.worktrees.cleanup(worktree).catch((error: unknown) => String(error));
    this.logger.event('worktree.cleanup', { session: sessionId, path: worktree.path, outcome });
  }

  async merge(reference: string, mode: MergeMode, force: boolean): Promise<MergeOutcome> {
    const task = await this.router.get({ session: null, name: 'owner' }, reference);
    const worktree = this.worktrees.forSession(task.toSession);
    if (!worktree) {
      throw new HubError(
        'not_allowed',
        `Task ${task.id} did not run in a worktree; there is nothing to merge.`,
      );
    }
    if (!isFinalTaskStatus(task.status) && !force) {
      throw new HubError(
        'not_allowed',
        `Task ${task.id} is still ${task.status}; wait for it, cancel it, or force it (--force).`,
      );
    }
    const pending = this.workPending(task.toSession);
    if (pending && !force)
      throw new HubError(
        'not_allowed',
        `Task ${task.id} ran in a pod whose work is not on ${worktree.branch} yet: ${pending}. Wait, kill ` +
          'the worker, or force it (--force).',
      );
    const outcome = await this.worktrees.merge(worktree, mode, {
      force,
      message: `switchboard: ${task.title} (task ${task.id.slice(0, 8)})`,
    });
    this.logger.event('worktree.merge', {
      task: task.id,
      mode,
      outcome: outcome.outcome,
      conflicts: outcome.conflicts,
    });
    return outcome;
  }
}
