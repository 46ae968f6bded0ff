// Budgets per tree of workers: each limit refuses with its name, its value and the variable that raises it.
import { describe, expect, it } from 'vitest';
import { WorkerBudgets } from './budgets.js';

const budgets = { maxDepth: 2, workersPerTree: 3, concurrentWorkers: 3, deadlineSeconds: 60 };

describe('WorkerBudgets', () => {
  it('places a root at depth 1 and children one deeper, in the same tree and under its deadline', () => {
    const ledger = new WorkerBudgets(budgets, () => 1_000);
    const root = ledger.reserve('root', undefined);
    expect(root).toEqual({ root: 'root', depth: 1, ordinal: 1, deadlineAt: 61_000 });
    expect(ledger.reserve('child', root)).toEqual({ root: 'root', depth: 2, ordinal: 2, deadlineAt: 61_000 });
    expect(ledger.runningCount).toBe(2);
  });

  it('refuses depth, then workers per tree, naming the limit and the variable', () => {
    const ledger = new WorkerBudgets({ ...budgets, concurrentWorkers: 10 }, () => 0);
    const root = ledger.reserve('root', undefined);
    const child = ledger.reserve('child', root);
    expect(() => ledger.reserve('deep', child)).toThrow(/maxDepth = 2 reached.*SWITCHBOARD_WORKER_MAX_DEPTH/);
    ledger.reserve('second', root);
    expect(() => ledger.reserve('fourth', root)).toThrow(
      /workersPerTree = 3 reached.*SWITCHBOARD_WORKER_MAX_PER_TREE/,
    );
  });

  it('counts workers running at once across trees, and frees a place when one ends', () => {
    const ledger = new WorkerBudgets({ ...budgets, concurrentWorkers: 2 }, () => 0);
    ledger.reserve('a', undefined);
    ledger.reserve('b', undefined);
    expect(() => ledger.reserve('c', undefined)).toThrow(
      /concurrentWorkers = 2.*SWITCHBOARD_WORKER_MAX_CONCURRENT/,
    );
    ledger.release('a');
    expect(ledger.reserve('c', undefined).root).toBe('c');
  });

  it('refuses spawns in a tree whose deadline has passed', () => {
    let now = 0;
    const ledger = new WorkerBudgets(budgets, () => now);
    const root = ledger.reserve('root', undefined);
    now = 61_000;
    expect(() => ledger.reserve('late', root)).toThrow(/deadlineSeconds = 60.*SWITCHBOARD_WORKER_DEADLINE_S/);
  });

  it('rebuilds a tree from adopted workers: its count continues where it was', () => {
    const ledger = new WorkerBudgets(budgets, () => 0);
    ledger.restore('child', { root: 'root', depth: 2, ordinal: 3, deadlineAt: 60_000 }, true);
    expect(ledger.runningCount).toBe(1);
    expect(() => ledger.reserve('more', { root: 'root', depth: 1, ordinal: 1, deadlineAt: 60_000 })).toThrow(
      /workersPerTree/,
    );
  });
});
