// One terminal session: a process under a pty, its output stream (batched, numbered by offset), the
// screen mirror, the input lease and the clients attached to it.
import {
  HubError,
  type HubMessage,
  type SessionInfo,
  type SessionStatus,
  type SessionUsage,
  type WorkerInfo,
} from '../../src-protocol/index.js';
import { InputLease, type LeaseChange } from '../attach/inputLease.js';
import { SessionSizer } from '../attach/sessionSizer.js';
import type { StreamFrame, Subscription } from '../attach/subscription.js';
import type { Limits } from '../limits.js';
import type { Logger } from '../logger.js';
import { GONE_PTY, type PtyProcess, type PtySpec, type SpawnPty } from './ptyHost.js';
import { OutputBatcher } from './outputBatcher.js';
import { ScreenMirror, type MirrorSnapshot } from './screenMirror.js';
import { ScreenStatusWatch } from './screenStatus.js';
import { exitNotice, outputFrame } from './streamFrames.js';

export interface SessionSpec extends PtySpec {
  id: string;
  name: string;
  kind: 'claude' | 'command';
  /** The git worktree the session runs in, if it asked for one. */
  worktree: { repo: string; path: string; branch: string } | null;
  /** Set when the process runs in a Docker worker container. */
  worker?: WorkerInfo | null;
  /** A restarted session's first creation time (else it is created now). */
  createdAt?: string;
}

/** A session of an earlier run of the hub: listed as ended with its last saved screen (issue 9). */
export interface RestoredEnd {
  createdAt: string;
  endedAt: string;
  exitCode: number | null;
  signal: number | null;
  /** The mirror as last saved: the serialized screen and some scrollback. */
  screen: string;
}

export interface SessionDeps {
  spawn: SpawnPty;
  limits: Limits;
  logger: Logger;
  now: () => number;
  /** Called whenever the session's public info changes (status, clients, lease, size). */
  onChange: (session: Session) => void;
  onLease: (session: Session, change: LeaseChange) => void;
}

export class Session {
  readonly id: string;
  name: string; // the registry's `rename` sets it (and spec.name)
  readonly createdAt: Date;
  /** Listed from an earlier run's saved record: it never runs here. */
  readonly restored: boolean;
  readonly mirror: ScreenMirror;
  readonly lease: InputLease;
  private readonly pty: PtyProcess;
  readonly sizer: SessionSizer; // the latest driver to ask sizes it; the next when it leaves (issue 13)
  private readonly subscribers = new Map<string, Subscription>();
  private statusValue: SessionStatus;
  private usageValue: SessionUsage | null = null;
  private offsetValue = 0;
  private readonly output: OutputBatcher;
  /** Who typed last: their terminal gets the echo before everyone else's (issue 12). */
  private typist: string | undefined;
  private killedByUserValue = false;
  private paused = false;
  private size: { cols: number; rows: number };
  private exit: { exitCode: number | null; signal: number | null; at: Date; frame: StreamFrame } | undefined;
  /** The process has exited; the session ends once its last output has drained (exitDrainMs later). */
  private ptyExited = false;
  /** node-pty closed the master (the process exited) before its exit event arrived. */
  private ptyClosed = false;
  private leaseTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly exited: Promise<void>;
  /** Claude sessions only: questions on screen that no hook reports. */
  private readonly screenStatus: ScreenStatusWatch | undefined;

  constructor(
    readonly spec: SessionSpec,
    private readonly deps: SessionDeps,
    restored?: RestoredEnd,
  ) {
    this.id = spec.id;
    this.name = spec.name;
    const created = restored?.createdAt ?? spec.createdAt;
    this.createdAt = created ? new Date(created) : new Date();
    this.restored = restored !== undefined;
    // A plain command has no status source but its exit; a Claude session reports through hooks.
    this.statusValue = restored ? 'ended' : spec.kind === 'claude' ? 'starting' : 'running';
    this.size = { cols: spec.cols, rows: spec.rows };
    this.output = new OutputBatcher(deps.limits, deps.now, (data) => this.emit(data));
    this.mirror = new ScreenMirror({
      cols: spec.cols,
      rows: spec.rows,
      scrollbackRows: deps.limits.scrollbackRows,
      syncFrameWaitMs: deps.limits.syncFrameWaitMs,
      onReply: (reply) => !this.ptyExited && this.pty.write(reply),
    });
    this.lease = new InputLease(deps.now, deps.limits.leaseIdleMs, (change) => this.leaseChanged(change));
    this.sizer = new SessionSizer(deps.limits.resizeDebounceMs, (cols, rows) => this.applyResize(cols, rows));
    if (restored) {
      this.pty = GONE_PTY;
      this.ptyExited = true;
      this.mirror.write(restored.screen);
      const { exitCode, signal } = restored;
      const at = new Date(restored.endedAt);
      this.exit = { exitCode, signal, at, frame: exitNotice(this.id, exitCode, signal, 0) };
      this.exited = Promise.resolve();
      return;
    }
    if (spec.kind === 'claude')
      this.screenStatus = new ScreenStatusWatch({
        quietMs: deps.limits.screenStatusQuietMs,
        readScreen: () => this.mirror.flushed().then(() => this.mirror.screen().lines),
        status: () => this.statusValue,
        setStatus: (status, question) =>
          this.changeStatus(status, question ? `screen: ${question}` : 'screen'),
      });
    this.pty = deps.spawn(spec);
    this.pty.onData((data) => this.receive(data));
    this.exited = new Promise((resolve) =>
      this.pty.onExit(({ exitCode, signal }) => {
        this.ptyExited = true;
        // node-pty may still deliver data after exit (node-pty #72): drain briefly before closing.
        setTimeout(() => void this.finish(exitCode, signal).then(resolve), deps.limits.exitDrainMs);
      }),
    );
  }

  get status(): SessionStatus {
    return this.statusValue;
  }

  get kind(): 'claude' | 'command' {
    return this.spec.kind;
  }

  /** Set by the status engine's hooks; an ended session stays ended. */
  setStatus(status: SessionStatus): void {
    if (this.screenStatus?.hookSet(status) === false) return;
    this.changeStatus(status, 'hook');
  }

  private changeStatus(status: SessionStatus, source: string): void {
    if (this.exit || status === this.statusValue) return;
    this.statusValue = status;
    this.deps.logger.event('session.status', { session: this.id, status, source });
    this.deps.onChange(this);
  }

  get offset(): number {
    return this.offsetValue;
  }

  get isEnded(): boolean {
    return this.exit !== undefined;
  }

  /** Whether input can still reach the process (false from its exit on, before the drain ends it). */
  get acceptsInput(): boolean {
    return !this.ptyExited;
  }

  info(): SessionInfo {
    return {
      id: this.id,
      name: this.name,
      kind: this.spec.kind,
      cwd: this.spec.cwd,
      command: this.spec.command,
      args: this.spec.args,
      status: this.statusValue,
      pid: this.exit ? null : this.pty.pid,
      cols: this.size.cols,
      rows: this.size.rows,
      createdAt: this.createdAt.toISOString(),
      endedAt: this.exit?.at.toISOString() ?? null,
      exitCode: this.exit?.exitCode ?? null,
      signal: this.exit?.signal ?? null,
      clients: this.subscribers.size,
      leaseHolder: this.lease.holder,
      worktree: this.spec.worktree ? { ...this.spec.worktree, dirty: null } : null,
      worker: this.spec.worker ?? null,
      usage: this.usageValue,
    };
  }

  /** Token use read from the transcript (usage/usageTracker.ts); clients hear of it when it changes. */
  setUsage(usage: SessionUsage): void {
    if (JSON.stringify(usage) === JSON.stringify(this.usageValue)) return;
    this.usageValue = usage;
    this.deps.onChange(this);
  }

  /** Writes one input whole (the pty writer queues what does not fit, so two never interleave); `from` is who typed it. */
  write(data: string, from?: string): void {
    if (this.ptyExited)
      throw new HubError('session_ended', `Session "${this.name}" has ended; start a new one.`);
    this.pty.write(data);
    if (from !== undefined) this.typist = from;
  }

  resize(cols: number, rows: number, from?: string): void {
    if (this.ptyExited)
      throw new HubError('session_ended', `Session "${this.name}" has ended; it cannot be resized.`);
    this.sizer.request(cols, rows, from); // applied now when the window allows, so a closed pty shows at once
    if (this.ptyClosed)
      throw new HubError('session_ended', `Session "${this.name}" has ended; it cannot be resized.`);
  }

  /** The terminal the session's program runs in, where known. */
  get ttyPath(): string | undefined {
    return this.pty.ttyPath;
  }

  /** The screen with the default scrollback, or `scrollbackRows` of it. */
  snapshot(scrollbackRows?: number): Promise<MirrorSnapshot> {
    this.output.flush();
    return this.mirror.snapshot(() => this.offsetValue, scrollbackRows);
  }

  exitFrame(): StreamFrame | undefined {
    return this.exit?.frame;
  }

  subscribe(subscription: Subscription): void {
    void this.subscribers.get(subscription.clientId)?.close();
    this.subscribers.set(subscription.clientId, subscription);
    this.deps.onChange(this);
  }

  unsubscribe(clientId: string): Promise<void> | void {
    const subscription = this.subscribers.get(clientId);
    if (!subscription) return;
    const released = subscription.close();
    this.subscribers.delete(clientId);
    this.lease.forget(clientId);
    this.sizer.forget(clientId);
    this.deps.onChange(this);
    return released;
  }

  subscription(clientId: string): Subscription | undefined {
    return this.subscribers.get(clientId);
  }

  /** Everyone attached, oldest first, with their role (presence). */
  participants(): Array<{ clientId: string; role: Subscription['role'] }> {
    return [...this.subscribers.values()].map(({ clientId, role }) => ({ clientId, role }));
  }

  /** Ends the process group; `byUser` records that its owner asked (it is then never resumed). */
  kill(options: { byUser?: boolean } = {}): Promise<void> {
    if (options.byUser && !this.exit) this.killedByUserValue = true;
    if (!this.exit && !this.killTimer) {
      this.pty.signal('SIGHUP');
      this.killTimer = setTimeout(() => this.pty.signal('SIGKILL'), this.deps.limits.killGraceMs);
    }
    return this.exited;
  }

  get killedByUser(): boolean {
    return this.killedByUserValue;
  }

  /** Whether the process keeps running when the hub stops (a worker container, re-adopted on start). */
  get outlivesHub(): boolean {
    return this.pty.release !== undefined;
  }

  /** Stops listening to a process that outlives the hub, leaving it running; then frees the session. */
  release(): Promise<void> {
    this.pty.release?.();
    this.dispose();
    return Promise.resolve();
  }

  /** Detaches everyone and frees the mirror; the process must already have exited. */
  dispose(): void {
    for (const subscription of this.subscribers.values()) void subscription.close();
    this.subscribers.clear();
    this.sizer.dispose();
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    if (this.killTimer) clearTimeout(this.killTimer);
    this.screenStatus?.dispose();
    this.mirror.dispose();
  }

  private receive(data: string): void {
    if (!this.exit) this.output.push(data);
  }

  /** One frame of output: to the clients first (the typist before the rest), then to the mirror. */
  private emit(data: string): void {
    const offset = this.offsetValue;
    this.offsetValue += data.length;
    this.broadcast(outputFrame(this.id, offset, data));
    this.mirror.write(data, () => this.maybeResume());
    this.screenStatus?.output();
    if (!this.paused && this.mirror.pendingChars > this.deps.limits.mirrorHighChars) {
      this.paused = true;
      this.pty.pause();
    }
  }

  private maybeResume(): void {
    if (this.paused && this.mirror.pendingChars < this.deps.limits.mirrorLowChars) {
      this.paused = false;
      this.pty.resume();
    }
  }

  private broadcast(frame: StreamFrame): void {
    const first = this.typist === undefined ? undefined : this.subscribers.get(this.typist);
    first?.deliver(frame);
    for (const subscription of this.subscribers.values())
      if (subscription !== first) subscription.deliver(frame);
  }

  private applyResize(cols: number, rows: number): void {
    // A resize still pending when the process exits must not reach the closed pty (it threw from a timer).
    if (this.ptyExited || (cols === this.size.cols && rows === this.size.rows)) return;
    this.output.flush();
    try {
      this.pty.resize(cols, rows);
    } catch (error) {
      // Closed under us (exit event not yet seen): no throw from a timer; resize() tells the client.
      if (error instanceof HubError && error.code === 'session_ended') {
        this.ptyClosed = true;
        return;
      }
      throw error;
    }
    this.size = { cols, rows };
    this.mirror.resize(cols, rows);
    const offset = this.offsetValue;
    this.broadcast({
      json: JSON.stringify({
        type: 'pty.resized',
        session: this.id,
        offset,
        cols,
        rows,
      } satisfies HubMessage),
      offset,
      chars: 0,
    });
    this.deps.logger.event('session.resized', { session: this.id, cols, rows });
    this.deps.onChange(this);
  }

  private leaseChanged(change: LeaseChange): void {
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    this.leaseTimer = undefined;
    this.armLeaseExpiry();
    this.deps.onLease(this, change);
    this.deps.onChange(this);
  }

  private armLeaseExpiry(): void {
    const expiresAt = this.lease.expiresAt;
    if (expiresAt === undefined || this.leaseTimer) return;
    this.leaseTimer = setTimeout(
      () => {
        this.leaseTimer = undefined;
        if (!this.lease.expireIfIdle()) this.armLeaseExpiry();
      },
      Math.max(10, expiresAt - this.deps.now()),
    );
  }

  private async finish(exitCode: number | null, signal: number | null): Promise<void> {
    this.output.flush();
    if (this.killTimer) {
      // Killed: members of the process group that ignored SIGHUP outlive the leader; end them too.
      clearTimeout(this.killTimer);
      this.pty.signal('SIGKILL');
    }
    await this.mirror.flushed();
    const frame = exitNotice(this.id, exitCode, signal, this.offsetValue);
    this.exit = { exitCode, signal, at: new Date(), frame };
    this.statusValue = 'ended';
    this.screenStatus?.dispose();
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    this.sizer.dispose();
    this.deps.logger.event('session.ended', { session: this.id, exitCode, signal });
    this.broadcast(frame);
    this.deps.onChange(this);
  }
}
