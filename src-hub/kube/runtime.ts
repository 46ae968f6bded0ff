// The Kubernetes worker runtime: starts a worker session as a bare Pod (the worker image on a TTY, a Secret
// with its token), attaches to its TTY through the API server as the session's pty, keeps the same budgets
// per tree as Docker workers, deletes pods (and their Secrets) when workers end, and says why they ended.
import { HubError } from '../../src-protocol/index.js';
import type { AgentConfig } from '../agents/config.js';
import { SessionCredentials } from '../agents/credentials.js';
import { buildClaudeLaunch } from '../agents/launchProfile.js';
import { profileFor } from '../agents/version.js';
import type { Logger } from '../logger.js';
import type { CreateOptions, Launch } from '../sessions/launcher.js';
import type { PtyProcess, SpawnPty } from '../sessions/ptyHost.js';
import type { AdoptSpec } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import type { TreePosition, WorkerBudgets } from '../workers/budgets.js';
import { BUDGET_VARIABLES, type WorkerSettings } from '../workers/config.js';
import { PINNED_CLAUDE_VERSION } from '../workers/docker.js';
import { infoOf } from '../workers/labels.js';
import { adoptPods } from './adoption.js';
import { connectKube, isNotFound, kubeFailure, kubeconfigPath, type KubeClient } from './client.js';
import { attachPod, kubePty, type PodAttachment } from './kubePty.js';
import {
  podManifest,
  podName,
  secretManifest,
  secretName,
  type KubeRecord,
  type PodInput,
} from './manifests.js';
import { endReason, exitCodeOf, placeOf, waitForRunning } from './podStatus.js';
import { deleteWorkerPod } from './pods.js';
import { GoneHubReaper } from './reaper.js';
import { hasCommit, REPOSITORY_VARIABLE } from './repository.js';
import type { KubeSettings } from './settings.js';
import { workerEnvironment } from '../workers/launchEnv.js';

/** ms: how long the hub's start waits for the API server to list the pods it may adopt. */
const ADOPTION_WAIT_MS = 5_000;
/** ms: how long an ended worker's pod may take to show its container's exit in its status. */
const STATUS_WAIT_MS = 5_000;

type V1Pod = Awaited<ReturnType<KubeClient['core']['readNamespacedPod']>>;

export interface KubeRuntimeDeps {
  settings: KubeSettings;
  /** What the worker runs, shared with Docker workers (the same image and agent): command, args, env, mode. */
  worker: Pick<WorkerSettings, 'command' | 'args' | 'env' | 'permissionMode' | 'onHubStop'>;
  /** Budgets per tree, the same object Docker workers count against. */
  budgets: WorkerBudgets;
  /** A Docker worker's place in its tree and its image (a pod's parent may be a container). */
  dockerWorker(session: string): (TreePosition & { image: string }) | undefined;
  hubId: string;
  logger: Logger;
  now: () => number;
  hubEnv: NodeJS.ProcessEnv;
  agent: AgentConfig;
  credentials: SessionCredentials;
  findSession(id: string): Session | undefined;
  /** Takes a running pod back as a session, its screen first restored from `screen` when given. */
  adoptSession(spec: AdoptSpec, spawn: SpawnPty, screen?: string): Session;
  /** The screen the hub last saved for a session (its mirror), if any. */
  savedScreen(id: string): string | undefined;
  /** The worktree on the hub a worker's repository is carried from and back into (docs/kubernetes.md). */
  worktreeOf(sessionId: string): { path: string } | undefined;
  /** Connects to the cluster (default: the official client, loaded on first use). */
  connect?: () => Promise<KubeClient>;
}

export class KubeRuntime {
  private readonly records = new Map<string, KubeRecord>();
  private readonly stopReasons = new Map<string, string>();
  private readonly endReasons = new Map<string, string>();
  private readonly deadlineTimers = new Map<string, NodeJS.Timeout>();
  private client: Promise<KubeClient> | undefined;
  private reaper: GoneHubReaper | undefined;

  constructor(private readonly deps: KubeRuntimeDeps) {}

  isWorker(sessionId: string): boolean {
    return this.records.has(sessionId);
  }

  record(sessionId: string): KubeRecord | undefined {
    return this.records.get(sessionId);
  }

  endReason(sessionId: string): string | undefined {
    return this.endReasons.get(sessionId);
  }

  /** The cluster's client, connected once; a failed connection is tried again on the next worker. */
  connect(): Promise<KubeClient> {
    this.client ??= (this.deps.connect ?? (() => connectKube(this.deps.settings, this.deps.hubEnv)))();
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  /** Prepares a pod worker: checks image and budgets, builds the Claude launch; `start` makes the pod. */
  async launch(options: CreateOptions, id: string, hubUrl: string): Promise<Launch> {
    const { settings } = this.deps;
    const fromSession = options.workerOf?.parent ?? null;
    const parent =
      fromSession === null
        ? undefined
        : (this.records.get(fromSession) ?? this.deps.dockerWorker(fromSession));
    const image = options.kubernetes?.image ?? parent?.image ?? settings.image;
    const allowed = [settings.image, ...settings.allowedImages, ...(parent ? [parent.image] : [])];
    if (fromSession !== null && !allowed.includes(image))
      throw new HubError(
        'not_allowed',
        `Image "${image}" is not allowed for spawn_worker; use ${[...new Set(allowed)].join(', ')} ` +
          '(the owner lists more with SWITCHBOARD_KUBE_ALLOWED_IMAGES).',
      );
    const client = await this.connect();
    const position = this.deps.budgets.reserve(id, parent);
    const token = this.deps.credentials.issue(id);
    const url = settings.hubUrl ?? hubUrl;
    const { worker } = this.deps;
    const claude = buildClaudeLaunch({
      hubUrl: url,
      claudeSessionId: id,
      token,
      config: { ...this.deps.agent, ...worker, binary: worker.command },
      profile: profileFor(PINNED_CLAUDE_VERSION),
      nodePath: 'node', // the command hook runs inside the pod, with the image's Node
    });
    const env = workerEnvironment(this.deps.hubEnv, claude.env, url, options.env);
    let started = false;
    return {
      // A git repository comes to the pod as a bundle of a worktree's branch, and the work back onto it.
      worktree: options.cwd !== undefined && (await hasCommit(options.cwd)),
      kind: 'claude',
      command: claude.command,
      args: claude.args,
      env,
      start: async (spec) => {
        started = true;
        const record: KubeRecord = {
          session: id,
          name: spec.name,
          container: podName(id),
          image,
          repo: spec.cwd,
          ...position,
          parent: fromSession,
          task: options.workerOf?.task ?? null,
          tokenHash: SessionCredentials.hash(token),
          cols: spec.cols,
          rows: spec.rows,
          runtime: 'kubernetes',
          node: null,
          phase: 'Pending',
        };
        const input: PodInput = {
          hubId: this.deps.hubId,
          record,
          settings,
          args: [spec.command, ...spec.args],
          // The agent fetches the repository before Claude starts and sends the work back as it ends.
          env: this.deps.worktreeOf(id) ? { ...spec.env, [REPOSITORY_VARIABLE]: 'bundle' } : spec.env,
          deadlineSeconds: (position.deadlineAt - this.deps.now()) / 1000,
        };
        try {
          return await this.start(client, record, input);
        } catch (error) {
          await this.deletePod(client, record);
          this.forget(id);
          throw kubeFailure(error, `starting worker pod ${record.container}`, client.server);
        }
      },
      abandon: () => {
        if (!started) this.forget(id);
      },
    };
  }

  /** Stops a worker with a reason its task will carry: its pod is deleted (which ends the session). */
  stop(sessionId: string, reason: string): void {
    const record = this.records.get(sessionId);
    if (!record) return;
    if (!this.stopReasons.has(sessionId)) this.stopReasons.set(sessionId, reason);
    this.deps.logger.event('worker.stop', { session: sessionId, pod: record.container, reason });
    const session = this.deps.findSession(sessionId);
    if (session && !session.isEnded) void session.kill();
  }

  async sessionRemoved(sessionId: string): Promise<void> {
    this.records.delete(sessionId);
    this.stopReasons.delete(sessionId);
    this.endReasons.delete(sessionId);
    return Promise.resolve();
  }

  /**
   * On hub start: this hub's running pods are attached and adopted as sessions; pods that ended meanwhile
   * close their tasks (`onGone`) and are deleted. Without a kubeconfig there is nothing to look for, and a
   * cluster that does not answer in time is logged, not thrown: the hub starts anyway.
   */
  async adoptOnStart(onGone: (sessionId: string, reason: string) => void): Promise<string[]> {
    const { settings, hubEnv } = this.deps;
    if (kubeconfigPath(settings, hubEnv) === undefined && !hubEnv.KUBERNETES_SERVICE_HOST) return [];
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${ADOPTION_WAIT_MS} ms`)), ADOPTION_WAIT_MS);
    });
    const adoption = this.connect().then((client) => {
      const { hubId, now, logger } = this.deps;
      const graceSeconds = settings.goneHubGraceSeconds;
      this.reaper = new GoneHubReaper({
        client,
        namespace: settings.namespace,
        hubId,
        now,
        logger,
        graceSeconds,
      });
      void this.reaper.start(); // its failures are logged; adoption does not wait for it
      return adoptPods(client, {
        hubId: this.deps.hubId,
        namespace: settings.namespace,
        hasSession: (id) => this.deps.findSession(id) !== undefined,
        adopt: (record, attachment, spec) => {
          this.records.set(record.session, record);
          this.deps.budgets.restore(record.session, record, true);
          this.armDeadline(record.root);
          this.deps.credentials.adopt(record.session, record.tokenHash);
          const screen = this.deps.savedScreen(record.session);
          const session = this.deps.adoptSession(
            spec,
            () => this.wrapPty(client, record, attachment),
            screen,
          );
          // Its status was lost with the old hub; the next hook says it again. Until then: unknown.
          session.setStatus('unknown');
          this.deps.logger.event('worker.adopted', { session: record.session, pod: record.container });
        },
        remove: (record) => this.deletePod(client, record),
        onGone,
      });
    });
    try {
      return await Promise.race([adoption, slow]);
    } catch (error) {
      this.deps.logger.event('worker.adoption.skipped', { runtime: 'kubernetes', reason: String(error) });
      adoption.catch(() => undefined);
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    this.reaper?.dispose();
    for (const timer of this.deadlineTimers.values()) clearTimeout(timer);
    this.deadlineTimers.clear();
  }

  private async start(client: KubeClient, record: KubeRecord, input: PodInput) {
    const { namespace } = this.deps.settings;
    this.records.set(record.session, record);
    const created = await client.core
      .createNamespacedPod({ namespace, body: podManifest(input) })
      .catch((error: unknown) => {
        throw kubeFailure(error, `creating pod ${record.container} in namespace ${namespace}`, client.server);
      });
    await client.core
      .createNamespacedSecret({ namespace, body: secretManifest(input, created.metadata?.uid ?? '') })
      .catch((error: unknown) => {
        throw kubeFailure(error, `creating secret ${secretName(record.session)}`, client.server);
      });
    const running = await waitForRunning(client, this.deps.settings, record.container, record.image);
    Object.assign(record, placeOf(running));
    const attachment = await attachPod(client, namespace, record.container, record).catch(
      (error: unknown) => {
        throw kubeFailure(error, `attaching to pod ${record.container} (pods/attach)`, client.server);
      },
    );
    this.armDeadline(record.root);
    this.deps.logger.event('worker.started', {
      session: record.session,
      pod: record.container,
      node: record.node,
      image: record.image,
      root: record.root,
      depth: record.depth,
    });
    const worker = {
      ...infoOf(record),
      runtime: 'kubernetes' as const,
      node: record.node,
      phase: record.phase,
    };
    return { spawn: () => this.wrapPty(client, record, attachment), worker };
  }

  private wrapPty(client: KubeClient, record: KubeRecord, attachment: PodAttachment): PtyProcess {
    return kubePty({
      attachment,
      // Left running when the hub stops (the default), and adopted again by label on its next start.
      releasable: this.deps.worker.onHubStop === 'leave',
      beforeExit: () => this.ended(client, record),
      stop: (signal) => {
        if (!this.stopReasons.has(record.session))
          this.stopReasons.set(
            record.session,
            `Worker ${record.name} was stopped by the hub (session killed).`,
          );
        // A pod with a repository keeps the cluster's grace period to send its work back as it ends.
        const force = signal === 'SIGKILL' && !this.deps.worktreeOf(record.session);
        void this.deletePod(client, record, force ? 0 : undefined);
      },
      onError: (what, error) => this.deps.logger.error(what, error, { session: record.session }),
    });
  }

  /** The attach connection closed: read the pod's last status, delete it, free its place, stop its children. */
  private async ended(client: KubeClient, record: KubeRecord): Promise<number> {
    this.deps.budgets.release(record.session);
    const pod = await this.lastStatus(client, record);
    const stopped = this.stopReasons.get(record.session);
    const exitCode = pod ? exitCodeOf(pod) : 255;
    const reason =
      stopped ??
      (pod === null
        ? `Worker pod ${record.container} was deleted from outside the hub (or its node was lost).`
        : pod
          ? endReason(pod, record.container)
          : `The hub lost the attach connection to worker pod ${record.container}.`);
    if (pod) record.phase = placeOf(pod).phase;
    if (reason) this.endReasons.set(record.session, reason);
    this.deps.logger.event('worker.ended', {
      session: record.session,
      pod: record.container,
      exitCode,
      reason,
    });
    await this.deletePod(client, record);
    this.deps.credentials.revoke(record.session);
    for (const child of this.records.values())
      if (child.parent === record.session && this.deps.findSession(child.session)?.isEnded === false)
        this.stop(child.session, `Stopped because its parent worker ${record.name} ended.`);
    return stopped || reason ? Math.max(exitCode, 1) : exitCode;
  }

  /**
   * The pod's status once its container has ended: the attach closes when the process exits, and the
   * kubelet reports the exit a moment later. null: the pod is gone; undefined: the API did not answer.
   */
  private async lastStatus(client: KubeClient, record: KubeRecord): Promise<V1Pod | null | undefined> {
    const { namespace, pollIntervalMs } = this.deps.settings;
    const until = Date.now() + STATUS_WAIT_MS;
    for (;;) {
      const pod = await client.core
        .readNamespacedPod({ name: record.container, namespace })
        .catch((error: unknown) => (isNotFound(error) ? null : undefined));
      const running = pod?.status?.containerStatuses?.[0]?.state?.running !== undefined;
      if (!pod || !running || Date.now() >= until) return pod;
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollIntervalMs, 500)));
    }
  }

  /** Deletes the pod and its Secret (the Secret would go with the pod anyway: it is owned by it). */
  private deletePod(client: KubeClient, record: KubeRecord, gracePeriodSeconds?: number): Promise<void> {
    const onError = (what: string, error: unknown) =>
      this.deps.logger.error(what, error, { session: record.session });
    const worker = { pod: record.container, session: record.session };
    return deleteWorkerPod(client, this.deps.settings.namespace, worker, onError, gracePeriodSeconds);
  }

  private forget(id: string): void {
    this.deps.budgets.release(id);
    this.deps.credentials.revoke(id);
    this.records.delete(id);
  }

  private armDeadline(root: string): void {
    const deadlineAt = this.deps.budgets.deadlineOf(root);
    if (deadlineAt === undefined || this.deadlineTimers.has(root)) return;
    const delay = Math.min(Math.max(0, deadlineAt - this.deps.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      const reason =
        `The worker tree's deadline passed (${BUDGET_VARIABLES.deadlineSeconds}); every pod of the tree ` +
        'was deleted.';
      for (const record of this.records.values())
        if (record.root === root && this.deps.findSession(record.session)?.isEnded === false)
          this.stop(record.session, reason);
    }, delay);
    timer.unref();
    this.deadlineTimers.set(root, timer);
  }
}
