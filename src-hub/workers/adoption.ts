// On hub start: this hub's worker containers (by label) are adopted again as sessions — their terminal
// replayed from the container's log, their token accepted by its hash — or removed, per the setting.
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { Logger } from '../logger.js';
import type { AdoptSpec } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import type { WorkerSettings } from './config.js';
import { dockerFailure } from './docker.js';
import { attachContainer } from './dockerPty.js';
import { LABEL, infoOf, recordFromLabels, type WorkerRecord } from './labels.js';

/** What adoption asks of the worker runtime (runtime.ts implements it). */
export interface AdoptingRuntime {
  adopt(
    record: WorkerRecord,
    container: Docker.Container,
    stream: Duplex,
    pid: number,
    spec: AdoptSpec,
    screen?: string,
  ): Session;
  removeContainer(id: string): Promise<void>;
}

export interface AdoptionDeps {
  docker: Docker;
  hubId: string;
  settings: WorkerSettings;
  logger: Logger;
  runtime: AdoptingRuntime;
  hasSession(id: string): boolean;
  savedScreen(id: string): string | undefined;
  /** A worker that ended while the hub was down: its open tasks close with this reason. */
  onGone(sessionId: string, reason: string): void;
}

const environment = (entries: string[] | undefined): Record<string, string> =>
  Object.fromEntries(
    (entries ?? []).map((entry) => {
      const at = entry.indexOf('=');
      return [entry.slice(0, at), entry.slice(at + 1)];
    }),
  );

export async function adoptWorkers(deps: AdoptionDeps): Promise<{ adopted: string[]; removed: string[] }> {
  const { docker, settings, runtime, logger } = deps;
  const found = await docker
    .listContainers({ all: true, filters: { label: [`${LABEL.hub}=${deps.hubId}`] } })
    .catch((error: unknown) => {
      throw dockerFailure(error, 'listing worker containers');
    });
  const adopted: string[] = [];
  const removed: string[] = [];
  for (const summary of found) {
    const record = recordFromLabels(summary.Id, summary.Image, summary.Labels);
    if (!record || deps.hasSession(record.session)) continue;
    const running = summary.State === 'running';
    if (!running) {
      deps.onGone(
        record.session,
        `Worker ${record.name} (container ${summary.Id.slice(0, 12)}) ended while the hub was down (${summary.Status}).`,
      );
    }
    if (!running || settings.onHubStart === 'remove') {
      if (running || settings.removeContainer !== 'never') {
        await runtime.removeContainer(summary.Id);
        removed.push(summary.Id);
        logger.event('worker.orphan.removed', {
          session: record.session,
          container: summary.Id.slice(0, 12),
        });
      }
      continue;
    }
    const container = docker.getContainer(summary.Id);
    try {
      // The screen the hub saved comes back whole; Docker's log would replay it only up to the last newline
      // or 16 KiB boundary (issue 16), so it is used only when no screen was saved (an older hub's worker).
      const screen = deps.savedScreen(record.session);
      const stream = await attachContainer(container, screen === undefined);
      const inspected = await container.inspect();
      const [command = 'claude', ...args] = inspected.Config.Cmd ?? [];
      const session = runtime.adopt(
        record,
        container,
        stream,
        inspected.State.Pid,
        {
          id: record.session,
          name: record.name,
          kind: 'claude',
          command,
          args,
          cwd: record.repo,
          env: environment(inspected.Config.Env),
          cols: record.cols,
          rows: record.rows,
          worker: infoOf(record),
        },
        screen,
      );
      // Its status was lost with the old hub; the next hook says it again. Until then: unknown, not a guess.
      session.setStatus('unknown');
      adopted.push(record.session);
    } catch (error) {
      logger.error('worker.adopt', error, { container: summary.Id.slice(0, 12) });
    }
  }
  return { adopted, removed };
}
