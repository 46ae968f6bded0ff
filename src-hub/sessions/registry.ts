// All sessions of a hub: create (with a state-directory entry), find by id, id prefix or name, remove.
import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HubError, type SessionInfo } from '../../src-protocol/index.js';
import type { LeaseChange } from '../attach/inputLease.js';
import { Emitter, type Event } from '../events.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import type { CreateOptions, Launch, Launchers } from './launcher.js';
import { resolveCommand, type SpawnPty } from './ptyHost.js';
import type { SavedSession } from './savedSessions.js';
import { Session, type SessionSpec } from './session.js';

export interface RegistryDeps {
  stateDir: string;
  spawn: SpawnPty;
  limits: Limits;
  logger: Logger;
  now: () => number;
  baseEnv: Record<string, string>;
  /** What a new session runs, and where: each runtime's launcher (sessions/launcher.ts). */
  launchers: Launchers;
  /** Makes a git worktree for a session; returns where the session starts. */
  createWorktree: (
    session: string,
    cwd: string,
    branch: string | undefined,
    label: string,
  ) => Promise<{ cwd: string; worktree: { repo: string; path: string; branch: string } }>;
}

/** A session found running after a hub restart (a worker container), taken back with its own pty. */
export type AdoptSpec = Omit<SessionSpec, 'worktree'>;

/** A session was added to the list, changed (status, clients, lease, size, ended) or removed from it. */
export interface SessionChange {
  kind: 'added' | 'updated' | 'removed';
  info: SessionInfo;
}

export interface LeaseChangeEvent {
  session: Session;
  change: LeaseChange;
}

/** The first prompt a new Claude session was created with: typed at its first idle prompt. */
export interface FirstPrompt {
  session: string;
  text: string;
}

export class SessionRegistry {
  private readonly sessionChanged = new Emitter<SessionChange>();
  private readonly leaseChanged = new Emitter<LeaseChangeEvent>();
  private readonly firstPrompt = new Emitter<FirstPrompt>();
  readonly onDidChangeSession: Event<SessionChange> = this.sessionChanged.event;
  readonly onDidChangeLease: Event<LeaseChangeEvent> = this.leaseChanged.event;
  /** A Claude session's first prompt, for the prompt injector (never its command line, issue 9). */
  readonly onDidQueueFirstPrompt: Event<FirstPrompt> = this.firstPrompt.event;
  private readonly sessions = new Map<string, Session>();
  private readonly reserved = new Set<string>();
  /** Sessions being created (their launch is prepared): they count against the cap already. */
  private readonly starting = new Set<string>();

  constructor(private readonly deps: RegistryDeps) {}

  list(): Session[] {
    return [...this.sessions.values()];
  }

  async create(options: CreateOptions): Promise<Session> {
    const id = options.resumes?.id ?? randomUUID();
    if (this.sessions.has(id)) throw new HubError('not_allowed', `Session ${id} is already running.`);
    // A session the hub resumes after a restart was running before: it is not refused its place.
    if (!options.resumes) this.checkCapacity();
    const requestedCwd = resolve(options.cwd ?? process.cwd());
    if (!isDirectory(requestedCwd)) {
      throw new HubError(
        'invalid_message',
        `Working directory "${requestedCwd}" does not exist or is not a directory.`,
      );
    }
    const name =
      options.name ??
      this.freeName(options.command ?? (options.docker || options.kubernetes ? 'worker' : 'claude'));
    if (this.isTaken(name)) {
      throw new HubError('name_taken', `A session named "${name}" already exists; pick another --name.`);
    }
    // Held while the launch is prepared, so two sessions created at once never get the same name.
    this.reserved.add(name);
    this.starting.add(id);
    try {
      return await this.start(id, name, requestedCwd, options);
    } finally {
      this.reserved.delete(name);
      this.starting.delete(id);
    }
  }

  /** Live sessions: running, or still starting. */
  get liveCount(): number {
    const running = this.list().filter((session) => !session.isEnded && !this.starting.has(session.id));
    return running.length + this.starting.size;
  }

  private checkCapacity(): void {
    const cap = this.deps.limits.maxLiveSessions;
    if (this.liveCount < cap) return;
    throw new HubError(
      'session_limit',
      `${cap} ${cap === 1 ? 'session is' : 'sessions are'} running, the most this hub allows. End one (\`switchboard kill SESSION\`, or ` +
        'let a task finish) and try again, or restart the hub with a higher limit: ' +
        '`switchboard hub --max-sessions N` or SWITCHBOARD_MAX_SESSIONS=N.',
    );
  }

  private async start(
    id: string,
    name: string,
    requestedCwd: string,
    options: CreateOptions,
  ): Promise<Session> {
    const launch = await this.deps.launchers.for(options).launch(options, id);
    try {
      return await this.startLaunched(id, name, requestedCwd, options, launch);
    } catch (error) {
      launch.abandon?.();
      throw error;
    }
  }

  private async startLaunched(
    id: string,
    name: string,
    requestedCwd: string,
    options: CreateOptions,
    launch: Launch,
  ): Promise<Session> {
    // A worker's process gets only its launch environment: the hub's own stays on this machine.
    const env: Record<string, string> = launch.start
      ? { ...launch.env, SWITCHBOARD_SESSION_ID: id }
      : { ...this.deps.baseEnv, ...launch.env, SWITCHBOARD_SESSION_ID: id };
    const command = launch.start ? launch.command : resolveCommand(launch.command, requestedCwd, env.PATH);
    const wantsWorktree = options.worktree ?? launch.worktree;
    const workspace = options.resumes?.worktree
      ? { cwd: requestedCwd, worktree: options.resumes.worktree }
      : wantsWorktree
        ? await this.deps.createWorktree(
            id,
            requestedCwd,
            wantsWorktree === true ? undefined : wantsWorktree,
            name,
          )
        : undefined;
    const cwd = workspace?.cwd ?? requestedCwd;
    const size = { cols: options.cols ?? 120, rows: options.rows ?? 32 };
    const remote = launch.start
      ? await launch.start({ id, name, command, args: launch.args, cwd, env, ...size })
      : undefined;
    mkdirSync(join(this.deps.stateDir, 'sessions', id), { recursive: true, mode: 0o700 });
    const spec: SessionSpec = {
      id,
      name,
      kind: launch.kind,
      command,
      args: launch.args,
      cwd,
      env,
      ...size,
      worktree: workspace?.worktree ?? null,
      worker: remote?.worker ?? null,
      ...(options.resumes?.createdAt ? { createdAt: options.resumes.createdAt } : {}),
    };
    const session = new Session(spec, {
      ...this.deps,
      ...this.sessionEvents,
      spawn: remote?.spawn ?? this.deps.spawn,
    });
    this.sessions.set(id, session);
    this.writeEntry(session);
    this.deps.logger.event('session.created', { session: id, name, kind: launch.kind, command, cwd });
    this.sessionChanged.fire({ kind: 'added', info: session.info() });
    // A Claude session gets its first prompt typed at its first idle prompt, never on its command line
    // (`ps` shows that to every local user); any other program reads it from the pty, whose line
    // discipline keeps it until the program reads.
    if (options.prompt && launch.kind === 'claude')
      this.firstPrompt.fire({ session: id, text: options.prompt });
    else if (options.prompt) session.write(`${options.prompt}\r`);
    return session;
  }

  /** Takes back a session that kept running while the hub was down (a worker container). */
  adopt(spec: AdoptSpec, spawn: SpawnPty, screen?: string): Session {
    // A slow Docker may answer after the last run's records were listed: the live worker replaces its record.
    const record = this.sessions.get(spec.id);
    if (record?.restored) {
      this.sessions.delete(spec.id);
      record.dispose();
    }
    const name = this.isTaken(spec.name) ? this.freeName(`${spec.name}-adopted`) : spec.name;
    mkdirSync(join(this.deps.stateDir, 'sessions', spec.id), { recursive: true, mode: 0o700 });
    const session = new Session(
      { ...spec, name, worktree: null },
      { ...this.deps, ...this.sessionEvents, spawn },
    );
    // Before any live output: that arrives from I/O callbacks, after this turn.
    if (screen !== undefined) session.mirror.write(screen);
    this.sessions.set(spec.id, session);
    this.writeEntry(session);
    this.deps.logger.event('session.adopted', {
      session: spec.id,
      name,
      command: spec.command,
      cwd: spec.cwd,
    });
    this.sessionChanged.fire({ kind: 'added', info: session.info() });
    return session;
  }

  /**
   * Lists a session of an earlier run, which is not running again, as ended with its last saved screen
   * (issue 9): it is never started, only shown until removed. Its name goes to a live session first.
   */
  async restore(saved: SavedSession): Promise<Session | undefined> {
    const { info } = saved;
    if (this.sessions.has(info.id)) return undefined;
    const name = this.isTaken(info.name) ? this.freeName(`${info.name}-ended`) : info.name;
    const worktree = info.worktree
      ? { repo: info.worktree.repo, path: info.worktree.path, branch: info.worktree.branch }
      : null;
    const { id, kind, command, args, cwd, cols, rows } = info;
    const worker = info.worker ?? null;
    const spec: SessionSpec = { id, name, kind, command, args, cwd, env: {}, cols, rows, worktree, worker };
    const end = { exitCode: info.exitCode, signal: info.signal, endedAt: info.endedAt ?? saved.savedAt };
    const session = new Session(
      spec,
      { ...this.deps, ...this.sessionEvents },
      { ...end, createdAt: info.createdAt, screen: saved.screen },
    );
    await session.mirror.flushed();
    this.sessions.set(info.id, session);
    this.recordedEnd.add(info.id);
    mkdirSync(join(this.deps.stateDir, 'sessions', info.id), { recursive: true, mode: 0o700 });
    this.writeEntry(session);
    this.deps.logger.event('session.restored', { session: info.id, name, kind: info.kind });
    this.sessionChanged.fire({ kind: 'added', info: session.info() });
    return session;
  }

  find(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** An id, a unique id prefix (like git and docker), or a unique name; among the sessions `among` accepts. */
  resolve(reference: string, among: (session: Session) => boolean = () => true): Session {
    const candidates = this.list().filter(among);
    const exact =
      candidates.find((session) => session.id === reference) ??
      candidates.find((session) => session.name === reference);
    if (exact) return exact;
    const byPrefix = candidates.filter((session) => session.id.startsWith(reference));
    if (byPrefix.length === 1) return byPrefix[0]!;
    if (byPrefix.length > 1) {
      throw new HubError(
        'ambiguous_session',
        `"${reference}" matches ${byPrefix.length} sessions; give more of the id.`,
      );
    }
    throw new HubError('unknown_session', `No session "${reference}"; \`switchboard ls\` lists them.`);
  }

  /** Gives a session another name (unique among the listed ones); clients hear of it as an update. */
  rename(session: Session, name: string): void {
    if (name === session.name) return;
    if (this.isTaken(name))
      throw new HubError('name_taken', `A session named "${name}" already exists; pick another name.`);
    const from = session.name;
    session.name = session.spec.name = name;
    this.writeEntry(session);
    this.deps.logger.event('session.renamed', { session: session.id, from, name });
    this.changed(session);
  }

  /**
   * Starts an ended session again under its own id (`options.resumes`): it stays listed until the new one
   * is up, which takes its place in the list (clients hear `added` for the same id, never `removed`).
   */
  async recreate(ended: Session, options: CreateOptions & { resumes: object }): Promise<Session> {
    this.checkCapacity(); // a restart is a new process: it counts like one
    const order = [...this.sessions.keys()];
    this.sessions.delete(ended.id);
    this.recordedEnd.delete(ended.id);
    try {
      const session = await this.create(options);
      ended.dispose();
      this.reorder(order);
      return session;
    } catch (error) {
      this.sessions.set(ended.id, ended);
      this.recordedEnd.add(ended.id);
      throw error;
    }
  }

  /** Puts the sessions listed in `order` back in that order; any others (new meanwhile) follow. */
  private reorder(order: string[]): void {
    const all = new Map(this.sessions);
    this.sessions.clear();
    for (const id of order) {
      const session = all.get(id);
      if (session) this.sessions.set(id, session);
    }
    for (const [id, session] of all) if (!this.sessions.has(id)) this.sessions.set(id, session);
  }

  /** Removes an ended session from the list. */
  remove(reference: string): void {
    const session = this.resolve(reference);
    if (!session.isEnded) {
      throw new HubError('not_allowed', `Session "${session.name}" is still running; kill it first.`);
    }
    this.sessions.delete(session.id);
    session.dispose();
    this.deps.logger.event('session.removed', { session: session.id });
    this.sessionChanged.fire({ kind: 'removed', info: session.info() });
  }

  /** Ends every process and waits for each to exit; sessions that outlive the hub (workers) are let go. */
  async closeAll(): Promise<void> {
    await Promise.all(
      this.list().map((session) => (session.outlivesHub ? session.release() : session.kill())),
    );
    for (const session of this.list()) session.dispose();
    this.sessions.clear();
  }

  /** Stops every event; the hub disposes the registry after `closeAll`. */
  dispose(): void {
    this.sessionChanged.dispose();
    this.leaseChanged.dispose();
    this.firstPrompt.dispose();
  }

  private readonly recordedEnd = new Set<string>();

  /** What each session reports to the registry, which tells its own listeners. */
  private readonly sessionEvents = {
    onChange: (session: Session) => this.changed(session),
    onLease: (session: Session, change: LeaseChange) => this.leaseChanged.fire({ session, change }),
  };

  private changed(session: Session): void {
    if (this.sessions.get(session.id) !== session) return; // removed, or replaced by its restart
    if (session.isEnded && !this.recordedEnd.has(session.id)) {
      this.recordedEnd.add(session.id);
      this.writeEntry(session);
    }
    this.sessionChanged.fire({ kind: 'updated', info: session.info() });
  }

  /** The state-directory entry: what ran, and once it has ended, how it ended and its final screen. */
  private writeEntry(session: Session): void {
    const directory = join(this.deps.stateDir, 'sessions', session.id);
    // 0600 like everything in the state directory: the screen may show secrets.
    writeFileSync(join(directory, 'session.json'), JSON.stringify(session.info(), null, 2) + '\n', {
      mode: 0o600,
    });
    if (session.isEnded) {
      writeFileSync(join(directory, 'screen.txt'), session.mirror.screen().lines.join('\n') + '\n', {
        mode: 0o600,
      });
    }
  }

  private isTaken(name: string): boolean {
    return this.reserved.has(name) || this.list().some((session) => session.name === name);
  }

  private freeName(command: string): string {
    const base = (command.split('/').pop() ?? 'session').replace(/[^A-Za-z0-9._-]/g, '') || 'session';
    const taken = new Set([...this.list().map((session) => session.name), ...this.reserved]);
    for (let index = 1; ; index++) {
      const candidate = `${base}-${index}`;
      if (!taken.has(candidate)) return candidate;
    }
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
