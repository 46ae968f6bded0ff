// Budgets per tree of workers (pure bookkeeping): depth, workers per tree, workers running at once, and the
// tree's deadline. A refusal names the limit, its value, and the setting that raises it.
import { HubError } from '../../src-protocol/index.js';
import { BUDGET_VARIABLES, type Budgets } from './config.js';

/** Where a new worker sits: its tree (the root worker's session id), depth, n-th of the tree, deadline. */
export interface TreePosition {
  root: string;
  depth: number;
  ordinal: number;
  deadlineAt: number;
}

interface Tree {
  started: number;
  deadlineAt: number;
}

function refuse(limit: keyof Budgets, value: number, what: string, advice: string): HubError {
  return new HubError(
    'budget_exceeded',
    `Worker budget ${limit} = ${value} reached: ${what}. ${advice} ` +
      `The hub's owner can raise it with ${BUDGET_VARIABLES[limit]} ` +
      `(or createHub({ workers: { budgets: { ${limit} } } })).`,
  );
}

export class WorkerBudgets {
  private readonly trees = new Map<string, Tree>();
  /** Workers counted as running: started, starting (reserved), or adopted. */
  private readonly running = new Set<string>();

  constructor(
    private readonly budgets: Budgets,
    private readonly now: () => number = Date.now,
  ) {}

  get runningCount(): number {
    return this.running.size;
  }

  /**
   * Checks every budget for a new worker `session` under `parent` (none: a new tree) and, when all allow
   * it, counts it at once, so two spawns at the same moment cannot both take the last place.
   */
  reserve(session: string, parent: TreePosition | undefined): TreePosition {
    const { maxDepth, workersPerTree, concurrentWorkers, deadlineSeconds } = this.budgets;
    // The limits that can never pass come first; the number running at once only asks for patience.
    const checkRunning = () => {
      if (this.running.size < concurrentWorkers) return;
      throw refuse(
        'concurrentWorkers',
        concurrentWorkers,
        `${this.running.size} workers are running on this hub`,
        'Wait for one to finish (or cancel one), then try again.',
      );
    };
    if (!parent) {
      checkRunning();
      const position = {
        root: session,
        depth: 1,
        ordinal: 1,
        deadlineAt: this.now() + deadlineSeconds * 1000,
      };
      this.trees.set(session, { started: 1, deadlineAt: position.deadlineAt });
      this.running.add(session);
      return position;
    }
    const tree = this.trees.get(parent.root) ?? { started: parent.ordinal, deadlineAt: parent.deadlineAt };
    if (parent.depth + 1 > maxDepth) {
      throw refuse(
        'maxDepth',
        maxDepth,
        `you are a worker at depth ${parent.depth}, and a worker you start would be at depth ${parent.depth + 1}`,
        'Do this part of the work yourself.',
      );
    }
    if (tree.started >= workersPerTree) {
      throw refuse(
        'workersPerTree',
        workersPerTree,
        `this tree of workers has already started ${tree.started}`,
        'Reuse a worker you have (delegate with "to"), or do the work yourself.',
      );
    }
    if (this.now() >= tree.deadlineAt) {
      throw refuse(
        'deadlineSeconds',
        deadlineSeconds,
        `this tree's deadline (${new Date(tree.deadlineAt).toISOString()}) has passed`,
        'Report what you have.',
      );
    }
    checkRunning();
    tree.started += 1;
    this.trees.set(parent.root, tree);
    this.running.add(session);
    return { root: parent.root, depth: parent.depth + 1, ordinal: tree.started, deadlineAt: tree.deadlineAt };
  }

  /** The worker stopped (or never started): its place among the running is free again. */
  release(session: string): void {
    this.running.delete(session);
  }

  /** A worker found running after a hub restart: counted again, its tree rebuilt from its labels. */
  restore(session: string, position: TreePosition, running: boolean): void {
    const tree = this.trees.get(position.root);
    if (!tree) this.trees.set(position.root, { started: position.ordinal, deadlineAt: position.deadlineAt });
    else tree.started = Math.max(tree.started, position.ordinal);
    if (running) this.running.add(session);
  }

  deadlineOf(root: string): number | undefined {
    return this.trees.get(root)?.deadlineAt;
  }
}
