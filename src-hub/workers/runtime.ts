// The Docker worker runtime: starts a worker session's container (labels, workspace, limits, network,
// environment with the hub URL and the session token), wraps its TTY as the session's pty, keeps budgets
// per tree of workers, stops subtrees, and says why a worker ended.
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { HubError } from '../../src-protocol/index.js';
import type { AgentConfig } from '../agents/config.js';
import { SessionCredentials } from '../agents/credentials.js';
import { buildClaudeLaunch } from '../agents/launchProfile.js';
import { profileFor } from '../agents/version.js';
import type { Logger } from '../logger.js';
import type { PtyProcess, SpawnPty } from '../sessions/ptyHost.js';
import type { CreateOptions, Launch } from '../sessions/launcher.js';
import type { AdoptSpec } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import { WorkerBudgets, type TreePosition } from './budgets.js';
import { BUDGET_VARIABLES, type WorkerSettings } from './config.js';
import {
  checkWorkspaceAccess,
  containerOptions,
  containerUser,
  exitReason,
  repositoryWithin,
  shortId as short,
  WORKSPACE,
} from './container.js';
import { copyRepository, numericUser } from './copyWorkspace.js';
import { dockerFailure, inspectWorkerImage, PINNED_CLAUDE_VERSION } from './docker.js';
import { adoptWorkers, type AdoptingRuntime, type UnreachableWorker } from './adoption.js';
import { attachContainer, dockerPty } from './dockerPty.js';
import { IMAGE_LABEL, infoOf, type WorkerRecord } from './labels.js';
import { treeAllowedTools } from './toolPolicy.js';
import { workerEnvironment } from './launchEnv.js';

export interface WorkerRuntimeDeps {
  docker: Docker;
  settings: WorkerSettings;
  hubId: string;
  logger: Logger;
  now: () => number;
  /** The hub's environment: ANTHROPIC_* variables pass into workers (nothing else does). */
  hubEnv: NodeJS.ProcessEnv;
  /** The hub's Claude policies (pre-allowed hub tools); the binary and environment are the worker's own. */
  agent: AgentConfig;
  credentials: SessionCredentials;
  findSession(id: string): Session | undefined;
  /** Takes a running worker back as a session, its screen first restored from `screen` when given. */
  adoptSession(spec: AdoptSpec, spawn: SpawnPty, screen?: string): Session;
  /** The screen the hub last saved for a session (its mirror), if any. */
  savedScreen(id: string): string | undefined;
  /** The listening hub's URL (workers call back to it). */
  hubUrl(): string | undefined;
}

/** ms: how long the hub's start waits for Docker to list the containers it may adopt. */
const ADOPTION_WAIT_MS = 5_000;

export class WorkerRuntime implements AdoptingRuntime {
  /** Workers of the last run left running because they call another address (see adoptOnStart). */
  readonly unreachable: UnreachableWorker[] = [];
  readonly budgets: WorkerBudgets;
  private readonly records = new Map<string, WorkerRecord>();
  private readonly stopReasons = new Map<string, string>();
  private readonly endReasons = new Map<string, string>();
  private readonly deadlineTimers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly deps: WorkerRuntimeDeps) {
    this.budgets = new WorkerBudgets(deps.settings.budgets, deps.now);
  }

  isWorker(sessionId: string): boolean {
    return this.records.has(sessionId);
  }

  record(sessionId: string): WorkerRecord | undefined {
    return this.records.get(sessionId);
  }

  /** Why a worker ended, when it was not a plain exit: stopped by a cancel, a deadline, from outside… */
  endReason(sessionId: string): string | undefined {
    return this.endReasons.get(sessionId);
  }

  /** The repository a new worker mounts: any directory for the owner and host sessions, within its own for a worker. */
  resolveRepo(caller: Session | null, repo: string | undefined): string {
    const own = caller ? this.records.get(caller.id)?.repo : undefined;
    if (!own) {
      const path = repo ?? caller?.spec.cwd;
      if (!path) throw new HubError('invalid_message', 'Say which repository the worker mounts: "repo".');
      return resolve(caller?.spec.cwd ?? process.cwd(), path);
    }
    return repo ? repositoryWithin(own, repo) : own;
  }

  /** Prepares a worker session: checks image and budgets, builds the Claude launch; `start` makes the container. */
  async launch(options: CreateOptions, id: string, hubUrl: string): Promise<Launch> {
    const { settings } = this.deps;
    const fromSession = options.workerOf?.parent ?? null;
    // A child runs its parent's image unless it asks for another (issue 16: it took the hub's default,
    // which need not exist where only the parent's was built); the image its owner chose stays allowed.
    const parentImage = fromSession === null ? undefined : this.records.get(fromSession)?.image;
    const image = options.docker?.image ?? parentImage ?? settings.image;
    const allowed = [settings.image, ...settings.allowedImages, ...(parentImage ? [parentImage] : [])];
    if (fromSession !== null && !allowed.includes(image)) {
      throw new HubError(
        'not_allowed',
        `Image "${image}" is not allowed for spawn_worker; use ${[...new Set(allowed)].join(', ')} ` +
          '(the owner lists more with SWITCHBOARD_WORKER_ALLOWED_IMAGES).',
      );
    }
    const imageInfo = await inspectWorkerImage(this.deps.docker, image, parentImage);
    const profile = profileFor(
      imageInfo.Config?.Labels?.[IMAGE_LABEL.claudeVersion] ?? PINNED_CLAUDE_VERSION,
    );
    const parent = fromSession ? this.records.get(fromSession) : undefined;
    const allowedTools = treeAllowedTools(parent?.allowedTools, options.docker?.allowedTools, !!parent);
    const position = this.budgets.reserve(id, parent);
    const token = this.deps.credentials.issue(id);
    const url = settings.hubUrl ?? hubUrl;
    const claude = buildClaudeLaunch({
      hubUrl: url,
      claudeSessionId: id,
      token,
      config: {
        ...this.deps.agent,
        binary: settings.command,
        args: settings.args,
        env: settings.env,
        permissionMode: settings.permissionMode,
      },
      profile,
      nodePath: 'node', // the command hook runs inside the container, with the image's Node
      allowedTools,
    });
    const env = workerEnvironment(this.deps.hubEnv, claude.env, url, options.env);
    let started = false;
    return {
      kind: 'claude',
      command: claude.command,
      args: claude.args,
      env,
      start: async (spec) => {
        started = true;
        const record: WorkerRecord = {
          session: id,
          name: spec.name,
          container: '',
          image,
          repo: spec.cwd,
          ...position,
          parent: parent?.session ?? null,
          task: options.workerOf?.task ?? null,
          tokenHash: SessionCredentials.hash(token),
          cols: spec.cols,
          rows: spec.rows,
          ...(allowedTools ? { allowedTools } : {}),
        };
        try {
          return await this.start(record, [spec.command, ...spec.args], spec.env, imageInfo.Config?.User);
        } catch (error) {
          this.forget(id);
          throw dockerFailure(error, `starting worker ${spec.name}`);
        }
      },
      abandon: () => {
        if (!started) this.forget(id);
      },
    };
  }

  /** Stops a worker (and, when it has ended, its children) with a reason its task will carry. */
  stop(sessionId: string, reason: string): void {
    const record = this.records.get(sessionId);
    if (!record) return;
    if (!this.stopReasons.has(sessionId)) this.stopReasons.set(sessionId, reason);
    const session = this.deps.findSession(sessionId);
    this.deps.logger.event('worker.stop', { session: sessionId, container: short(record.container), reason });
    if (session && !session.isEnded) void session.kill();
  }

  /** The session was removed from the list: its container goes too, when so configured. */
  async sessionRemoved(sessionId: string): Promise<void> {
    const record = this.records.get(sessionId);
    if (!record) return;
    if (this.deps.settings.removeContainer === 'on-remove') await this.removeContainer(record.container);
    this.records.delete(sessionId);
    this.stopReasons.delete(sessionId);
    this.endReasons.delete(sessionId);
  }

  /** Containers that were running when the hub stopped: adopt them as sessions again, or remove them. */
  adopt(
    record: WorkerRecord,
    container: Docker.Container,
    stream: Duplex,
    pid: number,
    spec: AdoptSpec,
    screen?: string,
  ): Session {
    this.records.set(record.session, record);
    this.budgets.restore(record.session, record, true);
    this.armDeadline(record.root);
    this.deps.credentials.adopt(record.session, record.tokenHash);
    const session = this.deps.adoptSession(spec, () => this.wrapPty(record, container, stream, pid), screen);
    this.deps.logger.event('worker.adopted', { session: record.session, container: short(record.container) });
    return session;
  }

  /**
   * On hub start, per `onHubStart`: adopt this hub's running worker containers as sessions, or remove
   * them; containers of workers that ended meanwhile close their tasks with `onGone`. Without a Docker
   * daemon there is nothing to adopt: that is logged, not thrown.
   */
  async adoptOnStart(onGone: (sessionId: string, reason: string) => void): Promise<string[]> {
    const adoption = adoptWorkers({
      ...this.deps,
      runtime: this,
      hasSession: (id) => this.deps.findSession(id) !== undefined,
      onGone,
      onUnreachable: (worker) => {
        this.unreachable.push(worker);
        this.deps.logger.event('worker.unreachable', { ...worker, hub: this.deps.hubUrl() });
      },
    });
    // A DOCKER_HOST that does not answer must not hold up the hub's start: adoption then finishes later.
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from Docker in ${ADOPTION_WAIT_MS} ms`)),
        ADOPTION_WAIT_MS,
      );
    });
    try {
      const { adopted, removed } = await Promise.race([adoption, slow]);
      if (adopted.length + removed.length > 0)
        this.deps.logger.event('worker.adoption', { adopted, removed });
      return adopted;
    } catch (error) {
      this.deps.logger.event('worker.adoption.skipped', { reason: String(error) });
      adoption.catch(() => undefined);
      return [];
    } finally {
      clearTimeout(timer);
    }
  }

  dispose(): void {
    for (const timer of this.deadlineTimers.values()) clearTimeout(timer);
    this.deadlineTimers.clear();
  }

  async removeContainer(id: string): Promise<void> {
    if (!id) return;
    await this.deps.docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404 && error.statusCode !== 409)
          this.deps.logger.error('worker.remove', error);
      });
  }

  private async start(
    record: WorkerRecord,
    command: string[],
    env: Record<string, string>,
    imageUser?: string,
  ) {
    const { docker, settings } = this.deps;
    const user = containerUser(settings.user, imageUser, record.repo);
    if (settings.workspace === 'bind') checkWorkspaceAccess(record.repo, numericUser(user));
    const container = await docker.createContainer(
      containerOptions({ hubId: this.deps.hubId, record, command, env, user, settings }),
    );
    record.container = container.id;
    this.records.set(record.session, record);
    try {
      if (settings.workspace === 'copy')
        await copyRepository(container, record.repo, WORKSPACE, numericUser(user));
      const stream = await attachContainer(container, false);
      await container.start();
      // The agent waits for a terminal size before it starts Claude: give it the session's at once.
      await container.resize({ w: record.cols, h: record.rows });
      const pid = (await container.inspect()).State.Pid;
      this.armDeadline(record.root);
      this.deps.logger.event('worker.started', {
        session: record.session,
        container: short(container.id),
        image: record.image,
        root: record.root,
        depth: record.depth,
      });
      const spawn: SpawnPty = () => this.wrapPty(record, container, stream, pid);
      return { spawn, worker: infoOf(record) };
    } catch (error) {
      await this.removeContainer(container.id);
      throw error;
    }
  }

  private wrapPty(
    record: WorkerRecord,
    container: Docker.Container,
    stream: Duplex,
    pid: number,
  ): PtyProcess {
    const pty = dockerPty({
      container,
      stream,
      pid,
      releasable: this.deps.settings.onHubStop === 'leave',
      beforeExit: (statusCode) => this.ended(record, statusCode),
      onError: (what, error) => this.deps.logger.error(what, error, { session: record.session }),
    });
    const signal = pty.signal.bind(pty);
    // A signal from the hub (kill, cancel, deadline) is a stop the hub asked for, not a crash.
    pty.signal = (name) => {
      if (!this.stopReasons.has(record.session))
        this.stopReasons.set(
          record.session,
          `Worker ${record.name} was stopped by the hub (session killed).`,
        );
      signal(name);
    };
    return pty;
  }

  private async ended(record: WorkerRecord, statusCode: number): Promise<void> {
    this.budgets.release(record.session);
    const reason =
      this.stopReasons.get(record.session) ??
      (statusCode === 0 ? undefined : await this.describeExit(record, statusCode));
    if (reason) this.endReasons.set(record.session, reason);
    this.deps.logger.event('worker.ended', {
      session: record.session,
      container: short(record.container),
      statusCode,
      reason,
    });
    if (this.deps.settings.removeContainer === 'on-end') await this.removeContainer(record.container);
    for (const child of this.records.values()) {
      if (child.parent === record.session && this.deps.findSession(child.session)?.isEnded === false)
        this.stop(child.session, `Stopped because its parent worker ${record.name} ended.`);
    }
  }

  private async describeExit(record: WorkerRecord, statusCode: number): Promise<string> {
    const container = this.deps.docker.getContainer(record.container);
    const state = await container.inspect().then(
      (info) => info.State,
      () => undefined,
    );
    return exitReason(record, statusCode, state, this.deps.settings.memoryBytes);
  }

  private forget(id: string): void {
    this.budgets.release(id);
    this.deps.credentials.revoke(id);
    this.records.delete(id);
  }

  private armDeadline(root: string): void {
    const deadlineAt = this.budgets.deadlineOf(root);
    if (deadlineAt === undefined || this.deadlineTimers.has(root)) return;
    const delay = Math.min(Math.max(0, deadlineAt - this.deps.now()), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      const { deadlineSeconds } = this.deps.settings.budgets;
      const reason =
        `The worker tree's deadline passed (${deadlineSeconds} s from its first worker, ` +
        `${BUDGET_VARIABLES.deadlineSeconds}); every worker of the tree was stopped.`;
      for (const record of this.records.values())
        if (record.root === root && this.deps.findSession(record.session)?.isEnded === false)
          this.stop(record.session, reason);
    }, delay);
    timer.unref();
    this.deadlineTimers.set(root, timer);
  }
}

export type { TreePosition };
