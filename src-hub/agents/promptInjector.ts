// Types queued text into sessions: into a Claude session only when it is idle at its prompt, as one
// bracketed paste followed by Enter, one input per turn. Until then the text waits in the store.
import { Emitter, type Event } from '../events.js';
import type { PendingInputStore } from '../store/pendingInput.js';
import type { Session } from '../sessions/session.js';
import { promptBoxHolds, promptBoxRows } from './promptBox.js';
import { typeSubmission } from './submission.js';

export interface InjectorPorts {
  store: PendingInputStore;
  findSession(id: string): Session | undefined;
  /** The hub's clock (ms): when a session went idle, and for how long. */
  now?: () => number;
  /** ms between the paste and Enter: Claude Code treats an Enter inside a fast paste as a newline. */
  enterDelayMs?: number;
  /**
   * ms a session must have been idle before typing, so its prompt is drawn and listening: input for a
   * session that just went idle waits the rest of it; one idle for longer goes at once.
   */
  settleMs?: number;
  /** ms to wait for the turn to start before the next input may go (lost Enter, slow start). */
  turnStartTimeoutMs?: number;
  /**
   * ms after typing at which a turn that has not started is looked at again: when the input box still
   * holds the text, Enter is pressed once more (`enterRetries` times at most). Under load Claude Code
   * can take the Enter in with the paste, as a newline, and the task would sit in the box for good.
   */
  enterRetryMs?: number;
  enterRetries?: number;
  /**
   * ms to wait, once a Claude session is idle, for its UI (bracketed paste on, or the input box drawn)
   * before typing anyway. Claude Code's SessionStart hook can run before its UI is up: text typed then meets a terminal
   * still in cooked mode (Enter arrives as a newline) and no bracketed paste yet (a slow start in a
   * container under load left a task unsent in the box that way).
   */
  promptBoxWaitMs?: number;
  /** Told of each Enter pressed again (the hub logs it). */
  onEnterRetry?: (sessionId: string, attempt: number) => void;
  /** Told of each input typed into a Claude session: as a bracketed paste or not, its box drawn or not. */
  onTyped?: (sessionId: string, detail: { task: string | null; bracketed: boolean; box: boolean }) => void;
}

/** ms between looks at a Claude session's screen while its UI is not up yet. */
const PROMPT_BOX_POLL_MS = 250;

export class PromptInjector {
  /** Sessions with an input typed whose turn has not started yet. */
  private readonly inFlight = new Map<string, NodeJS.Timeout>();
  private readonly scheduled = new Set<string>();
  /** When each session last went idle (absent while it is not idle). */
  private readonly idleSince = new Map<string, number>();
  /** Since when an idle Claude session with input waiting has shown no sign of its UI. */
  private readonly boxMissingSince = new Map<string, number>();
  private readonly delivered = new Emitter<string>();
  /** The settle and Enter timers, cleared on dispose (the in-flight ones are in `inFlight`). */
  private readonly timers = new Set<NodeJS.Timeout>();
  private disposed = false;
  private readonly now: () => number;
  /** A queued input that belongs to a task has been typed: the task's id. */
  readonly onDidDeliverTask: Event<string> = this.delivered.event;

  constructor(private readonly ports: InjectorPorts) {
    this.now = ports.now ?? (() => Date.now());
  }

  enqueue(sessionId: string, text: string, task: string | null = null): void {
    this.ports.store.enqueue(sessionId, text, task);
    this.pump(sessionId);
  }

  /**
   * Moves a task's input not yet typed to another session (a re-route, issue 17); false when none waits.
   * Typing takes its input from the store in the same turn as it types, so once this returns the first
   * session can no longer get it.
   */
  moveTask(task: string, toSession: string): boolean {
    const moved = this.ports.store.moveTask(task, toSession);
    if (moved) this.pump(toSession);
    return moved;
  }

  /** Called on every status change of a session. */
  statusChanged(session: Session): void {
    if (session.status === 'working') this.turnStarted(session.id);
    if (session.status !== 'idle') this.idleSince.delete(session.id);
    else if (!this.idleSince.has(session.id)) this.idleSince.set(session.id, this.now());
    this.pump(session.id);
  }

  /** The session's process ended: forget its timers (its queued input stays in the store). */
  sessionEnded(sessionId: string): void {
    this.turnStarted(sessionId);
    this.idleSince.delete(sessionId);
    this.boxMissingSince.delete(sessionId);
  }

  pending(sessionId: string): number {
    return this.ports.store.size(sessionId);
  }

  /**
   * Types nothing more: the hub is closing, and a session it ends may already have lost its pty. Input
   * queued from now on still goes to the store, for the next start.
   */
  dispose(): void {
    this.disposed = true;
    for (const timer of [...this.inFlight.values(), ...this.timers]) clearTimeout(timer);
    this.inFlight.clear();
    this.timers.clear();
    this.scheduled.clear();
    this.idleSince.clear();
    this.delivered.dispose();
  }

  private turnStarted(sessionId: string): void {
    clearTimeout(this.inFlight.get(sessionId));
    this.inFlight.delete(sessionId);
  }

  private later(ms: number, action: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, ms);
    this.timers.add(timer);
  }

  private pump(sessionId: string, delayMs?: number): void {
    if (this.disposed || this.scheduled.has(sessionId)) return;
    this.scheduled.add(sessionId);
    const settle = this.ports.settleMs ?? 200;
    const now = this.now();
    const idleFor = now - (this.idleSince.get(sessionId) ?? now);
    this.later(delayMs ?? Math.max(0, settle - idleFor), () => void this.whenPromptDrawn(sessionId));
  }

  /**
   * Delivers once an idle Claude session's UI is up: bracketed paste on or its input box drawn (or
   * neither for `promptBoxWaitMs`).
   */
  private async whenPromptDrawn(sessionId: string): Promise<void> {
    const session = this.ports.findSession(sessionId);
    const typing =
      session?.kind === 'claude' &&
      session.status === 'idle' &&
      session.acceptsInput &&
      !this.inFlight.has(sessionId) &&
      this.ports.store.peek(sessionId) !== undefined;
    if (typing) {
      await session.mirror.flushed();
      if (this.disposed) return;
      const missingSince = this.boxMissingSince.get(sessionId) ?? this.now();
      const waited = this.now() - missingSince;
      // Ready: the program turned bracketed paste on (Claude Code does as its UI starts) or the box shows.
      const ready = session.mirror.bracketedPasteMode || promptBoxRows(session.mirror.screen().lines);
      if (!ready && waited < (this.ports.promptBoxWaitMs ?? 30_000)) {
        this.boxMissingSince.set(sessionId, missingSince);
        this.scheduled.delete(sessionId);
        return this.pump(sessionId, PROMPT_BOX_POLL_MS);
      }
    }
    this.boxMissingSince.delete(sessionId);
    this.scheduled.delete(sessionId);
    this.deliverNext(sessionId);
  }

  private deliverNext(sessionId: string): void {
    const session = this.ports.findSession(sessionId);
    if (!session?.acceptsInput || this.inFlight.has(sessionId)) return;
    const ready = session.kind === 'claude' ? session.status === 'idle' : true;
    if (!ready) return;
    const next = this.ports.store.peek(sessionId);
    if (!next) return;
    typeSubmission(session, next.text, this.ports.enterDelayMs, (ms, action) => this.later(ms, action));
    this.ports.store.delivered(next.id);
    if (next.task) this.delivered.fire(next.task);
    if (session.kind !== 'claude') return this.pump(sessionId);
    this.ports.onTyped?.(sessionId, {
      task: next.task,
      bracketed: session.mirror.bracketedPasteMode,
      box: promptBoxRows(session.mirror.screen().lines) !== undefined,
    });
    this.pressEnterAgainIfUnsent(session, next.text, 1);
    this.inFlight.set(
      sessionId,
      setTimeout(() => {
        this.inFlight.delete(sessionId);
        this.pump(sessionId);
      }, this.ports.turnStartTimeoutMs ?? 15_000),
    );
  }

  /** While the turn has not started and the box still holds `text`, Enter once more (bounded). */
  private pressEnterAgainIfUnsent(session: Session, text: string, attempt: number): void {
    if (attempt > (this.ports.enterRetries ?? 3)) return;
    this.later(this.ports.enterRetryMs ?? 2500, () => {
      if (!this.inFlight.has(session.id) || session.status !== 'idle' || !session.acceptsInput) return;
      void session.mirror.flushed().then(() => {
        const stillIdle = this.inFlight.has(session.id) && session.status === 'idle';
        if (this.disposed || !stillIdle || !session.acceptsInput) return;
        if (!promptBoxHolds(session.mirror.screen().lines, text)) return;
        session.write('\r');
        this.ports.onEnterRetry?.(session.id, attempt);
        this.pressEnterAgainIfUnsent(session, text, attempt + 1);
      });
    });
  }
}
