// All sessions of a hub: create (with a state-directory entry), find by id, id prefix or name, remove.
import { randomUUID } from 'node:crypto';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HubError, type SessionCreate, type SessionInfo } from '../../src-protocol/index.js';
import type { LeaseChange } from '../attach/inputLease.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import { resolveCommand, type SpawnPty } from './ptyHost.js';
import { Session } from './session.js';

export interface RegistryDeps {
  stateDir: string;
  spawn: SpawnPty;
  limits: Limits;
  logger: Logger;
  now: () => number;
  baseEnv: Record<string, string>;
  /** Decides what a new session runs: the given command, or Claude Code with the hub's launch profile. */
  launch: (options: CreateOptions, id: string) => Promise<Launch>;
  onChange: (kind: 'added' | 'updated' | 'removed', info: SessionInfo) => void;
  onLease: (session: Session, change: LeaseChange) => void;
  /** Makes a git worktree for a session; returns where the session starts. */
  createWorktree: (
    session: string,
    cwd: string,
    branch: string | undefined,
    label: string,
  ) => Promise<{ cwd: string; worktree: { repo: string; path: string; branch: string } }>;
}

export type CreateOptions = Omit<SessionCreate, 'type' | 'id'>;

export interface Launch {
  kind: 'claude' | 'command';
  command: string;
  args: string[];
  env: Record<string, string>;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly reserved = new Set<string>();

  constructor(private readonly deps: RegistryDeps) {}

  list(): Session[] {
    return [...this.sessions.values()];
  }

  async create(options: CreateOptions): Promise<Session> {
    const id = randomUUID();
    const requestedCwd = resolve(options.cwd ?? process.cwd());
    if (!isDirectory(requestedCwd)) {
      throw new HubError('invalid_message', `Working directory "${requestedCwd}" does not exist or is not a directory.`);
    }
    const name = options.name ?? this.freeName(options.command ?? 'claude');
    if (this.isTaken(name)) {
      throw new HubError('name_taken', `A session named "${name}" already exists; pick another --name.`);
    }
    // Held while the launch is prepared, so two sessions created at once never get the same name.
    this.reserved.add(name);
    try {
      return await this.start(id, name, requestedCwd, options);
    } finally {
      this.reserved.delete(name);
    }
  }

  private async start(id: string, name: string, requestedCwd: string, options: CreateOptions): Promise<Session> {
    const launch = await this.deps.launch(options, id);
    const env: Record<string, string> = { ...this.deps.baseEnv, ...launch.env, SWITCHBOARD_SESSION_ID: id };
    const command = resolveCommand(launch.command, requestedCwd, env.PATH);
    const workspace = options.worktree
      ? await this.deps.createWorktree(id, requestedCwd, options.worktree === true ? undefined : options.worktree, name)
      : undefined;
    const cwd = workspace?.cwd ?? requestedCwd;
    mkdirSync(join(this.deps.stateDir, 'sessions', id), { recursive: true, mode: 0o700 });
    const spec = {
      id,
      name,
      kind: launch.kind,
      command,
      args: launch.args,
      cwd,
      env,
      cols: options.cols ?? 120,
      rows: options.rows ?? 32,
      worktree: workspace?.worktree ?? null,
    };
    const session = new Session(spec, { ...this.deps, onChange: (changed) => this.changed(changed) });
    this.sessions.set(id, session);
    this.writeEntry(session);
    this.deps.logger.event('session.created', { session: id, name, kind: launch.kind, command, cwd });
    this.deps.onChange('added', session.info());
    // A Claude session gets its prompt on the command line; any other program reads it from the pty,
    // whose line discipline keeps it until the program reads.
    if (launch.kind === 'command' && options.prompt) session.write(`${options.prompt}\r`);
    return session;
  }

  find(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** An id, a unique id prefix (like git and docker), or a unique name. */
  resolve(reference: string): Session {
    const exact = this.sessions.get(reference) ?? this.list().find((session) => session.name === reference);
    if (exact) return exact;
    const byPrefix = this.list().filter((session) => session.id.startsWith(reference));
    if (byPrefix.length === 1) return byPrefix[0]!;
    if (byPrefix.length > 1) {
      throw new HubError(
        'ambiguous_session',
        `"${reference}" matches ${byPrefix.length} sessions; give more of the id.`,
      );
    }
    throw new HubError('unknown_session', `No session "${reference}"; \`switchboard ls\` lists them.`);
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
    this.deps.onChange('removed', session.info());
  }

  /** Ends every process and waits for each to exit. */
  async closeAll(): Promise<void> {
    await Promise.all(this.list().map((session) => session.kill()));
    for (const session of this.list()) session.dispose();
    this.sessions.clear();
  }

  private readonly recordedEnd = new Set<string>();

  private changed(session: Session): void {
    if (!this.sessions.has(session.id)) return;
    if (session.isEnded && !this.recordedEnd.has(session.id)) {
      this.recordedEnd.add(session.id);
      this.writeEntry(session);
    }
    this.deps.onChange('updated', session.info());
  }

  /** The state-directory entry: what ran, and once it has ended, how it ended and its final screen. */
  private writeEntry(session: Session): void {
    const directory = join(this.deps.stateDir, 'sessions', session.id);
    writeFileSync(join(directory, 'session.json'), JSON.stringify(session.info(), null, 2) + '\n');
    if (session.isEnded) {
      writeFileSync(join(directory, 'screen.txt'), session.mirror.screen().lines.join('\n') + '\n');
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
