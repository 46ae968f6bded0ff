// Worker settings: defaults, SWITCHBOARD_WORKER_* variables, and code winning over the environment.
import { describe, expect, it } from 'vitest';
import { parseBytes, resolveWorkerSettings } from './config.js';

describe('resolveWorkerSettings', () => {
  it('defaults to the host network, a bind mount, limits, and adopting workers on start', () => {
    const settings = resolveWorkerSettings({}, {});
    expect(settings).toMatchObject({
      image: 'switchboard-worker:latest',
      networkMode: 'host',
      workspace: 'bind',
      cpus: 2,
      memoryBytes: 4 * 1024 ** 3,
      onHubStart: 'adopt',
      onHubStop: 'leave',
      removeContainer: 'on-end',
      budgets: { maxDepth: 3, workersPerTree: 8, concurrentWorkers: 4, deadlineSeconds: 3600 },
    });
  });

  it('reads the environment, and settings given in code win', () => {
    const env = {
      SWITCHBOARD_WORKER_MEMORY: '512m',
      SWITCHBOARD_WORKER_MAX_DEPTH: '5',
      SWITCHBOARD_WORKER_WORKSPACE: 'copy',
      SWITCHBOARD_WORKER_ARGS: '["--verbose"]',
    };
    const settings = resolveWorkerSettings({ budgets: { concurrentWorkers: 9 }, workspace: 'bind' }, env);
    expect(settings.memoryBytes).toBe(512 * 1024 ** 2);
    expect(settings.budgets).toMatchObject({ maxDepth: 5, concurrentWorkers: 9 });
    expect(settings.workspace).toBe('bind');
    expect(settings.args).toEqual(['--verbose']);
  });

  it('parses sizes and refuses what is not one', () => {
    expect(parseBytes('4g')).toBe(4 * 1024 ** 3);
    expect(parseBytes('1536')).toBe(1536);
    expect(() => parseBytes('lots')).toThrow(/not a size/);
  });
});
