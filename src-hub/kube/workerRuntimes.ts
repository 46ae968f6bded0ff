// The hub's worker runtimes as one: Docker containers and Kubernetes pods, asked by session id, so the
// router, the lifecycle policy and finished workers need not know where a worker runs.
import type { Session } from '../sessions/session.js';
import { repositoryWithin } from '../workers/container.js';
import type { WorkerRecord } from '../workers/labels.js';
import type { WorkerRuntime } from '../workers/runtime.js';
import type { KubeRuntime } from './runtime.js';

export class WorkerRuntimes {
  constructor(
    readonly docker: WorkerRuntime,
    readonly kube: KubeRuntime,
  ) {}

  isWorker(sessionId: string): boolean {
    return this.docker.isWorker(sessionId) || this.kube.isWorker(sessionId);
  }

  record(sessionId: string): WorkerRecord | undefined {
    return this.docker.record(sessionId) ?? this.kube.record(sessionId);
  }

  stop(sessionId: string, reason: string): void {
    this.docker.stop(sessionId, reason);
    this.kube.stop(sessionId, reason);
  }

  endReason(sessionId: string): string | undefined {
    return this.docker.endReason(sessionId) ?? this.kube.endReason(sessionId);
  }

  async sessionRemoved(sessionId: string): Promise<void> {
    await this.docker.sessionRemoved(sessionId);
    await this.kube.sessionRemoved(sessionId);
  }

  async adoptOnStart(onGone: (sessionId: string, reason: string) => void): Promise<string[]> {
    const [containers, pods] = await Promise.all([
      this.docker.adoptOnStart(onGone),
      this.kube.adoptOnStart(onGone),
    ]);
    return [...containers, ...pods];
  }

  /** The repository a new worker is for: a pod worker may name only its own (or a directory in it). */
  resolveRepo(caller: Session | null, repo: string | undefined): string {
    const own = caller ? this.kube.record(caller.id)?.repo : undefined;
    if (own) return repo ? repositoryWithin(own, repo) : own;
    return this.docker.resolveRepo(caller, repo);
  }

  dispose(): void {
    this.docker.dispose();
    this.kube.dispose();
  }
}
