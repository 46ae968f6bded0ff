// One attached session's terminal: owns the xterm instance and speaks the attach protocol (snapshot, output
// in offset order, ack after parse, resync, resize policy). Bytes go from the hub straight to xterm, never
// through React. WebGL is leased from the pool while the pane is visible and given back when it is hidden.
import type { AttachMode, AttachRole, HubClient, HubMessage } from '../../src-protocol/index.js';
import { ViewFitter, type FitSurface, type ViewMode, type ViewReport } from './viewFit.js';
import type { WebglPool } from './webglPool.js';

export interface DisposableLike {
  dispose(): void;
}

/** The part of xterm's Terminal the controller uses (a fake in unit tests). */
export interface TerminalLike {
  readonly cols: number;
  readonly rows: number;
  readonly element: { parentElement: unknown } | undefined;
  open(parent: HTMLElement): void;
  write(data: string, callback?: () => void): void;
  reset(): void;
  resize(cols: number, rows: number): void;
  focus(): void;
  dispose(): void;
  loadAddon(addon: WebglLike): void;
  onData(listener: (data: string) => void): DisposableLike;
}

export interface WebglLike extends DisposableLike {
  activate(terminal: never): void;
  onContextLoss(listener: () => void): DisposableLike;
}

/** A terminal with its helper addons already loaded. */
export interface TerminalParts {
  terminal: TerminalLike;
  /** The size that fits the pane, from the fit addon; undefined while it is not laid out. */
  proposeSize(): { cols: number; rows: number } | undefined;
  find(text: string, backwards: boolean): boolean;
  /** The selected text ('' when nothing is selected). */
  selection(): string;
  /** Types `text` as a paste (bracketed where the program asked for it); it goes through the input gate. */
  paste(text: string): void;
  /** Font and scroll control for a pane smaller than its session (issue 13); absent in some fakes. */
  fitSurface?: FitSurface;
}

/** The hub calls a terminal needs (HubClient implements them). */
export interface TerminalHub {
  attach(session: string, mode: AttachMode): Promise<unknown>;
  detach(session: string): Promise<unknown>;
  /**
   * Sends keystrokes without waiting for a reply (no `ok` per keystroke, issue 12); throws, with the words
   * to show, when it cannot send them (the hub is unreachable). A refusal comes later, to `refused`.
   */
  type(session: string, data: string): void;
  resize(session: string, cols: number, rows: number): Promise<unknown>;
  ack(session: string, chars: number): void;
}

/** `TerminalHub.type` over a HubClient: no `ok` per keystroke; a closed connection throws, worded. */
export function typeInto(hub: HubClient, session: string, data: string): void {
  if (!hub.type(session, data)) throw hub.closedError() ?? new Error('Not connected to the hub.');
}

export type TerminalStatus = 'attaching' | 'live' | 'resync' | 'exited' | 'error';

/**
 * A hidden pane keeps its output in a buffer instead of feeding xterm, whose viewport updates cost layout
 * even while its rendering is paused (16 hidden streams took a page to 3 fps). Unit: UTF-16 code units.
 * Past this much the buffer is dropped and the pane attaches again when shown: the hub's snapshot of its
 * screen is cheaper than replaying that much output.
 */
export const HIDDEN_BUFFER_MAX_CHARS = 256 * 1024;

type Buffered = string | { cols: number; rows: number };

export interface ControllerDeps {
  session: string;
  hub: TerminalHub;
  pool: WebglPool;
  createTerminal(): TerminalParts;
  /** Throws where WebGL is unavailable; the DOM renderer stays in use then. */
  createWebgl(): WebglLike;
  webglEnabled(): boolean;
  /** Whether typing is allowed now, or the hint to show instead (observer, lease held by someone else). */
  gate(): { allowed: true } | { allowed: false; hint: string };
  /** For a driver: whether it holds the lease (the owner always sizes; observers never do). */
  maySize(): boolean;
  onHint(hint: string): void;
  onStatus(status: TerminalStatus, detail?: string): void;
  /** The pane is smaller than the session (or no longer is: undefined), for the pane's size bar. */
  onView?(report: ViewReport | undefined): void;
}

let nextControllerId = 1;

export class TerminalController {
  readonly terminal: TerminalLike;
  /** This controller's name in the WebGL pool. */
  private readonly poolId = `terminal-${nextControllerId++}`;
  private readonly parts: TerminalParts;
  private readonly subscriptions: DisposableLike[] = [];
  /** Stream offset of the next output char expected; -1 until the first snapshot. */
  private offset = -1;
  private roleValue: AttachRole | undefined;
  private size: { cols: number; rows: number } | undefined;
  /** The size last sent for this pane (as a driver without the lease: the wish the hub keeps). */
  private wished: { cols: number; rows: number } | undefined;
  private opened = false;
  private visible = false;
  private webgl: WebglLike | undefined;
  private webglBroken = false;
  private disposed = false;
  private mode: AttachMode = 'drive';
  private hidden: Buffered[] = [];
  private hiddenChars = 0;
  /** The hidden buffer overflowed: attach again (fresh snapshot) when shown. */
  private stale = false;
  private readonly fitter: ViewFitter | undefined;

  constructor(private readonly deps: ControllerDeps) {
    this.parts = deps.createTerminal();
    this.terminal = this.parts.terminal;
    const surface = this.parts.fitSurface;
    this.fitter = surface && new ViewFitter(surface, (report) => deps.onView?.(report));
    this.subscriptions.push(this.terminal.onData((data) => this.typed(data)));
  }

  get role(): AttachRole | undefined {
    return this.roleValue;
  }

  get usesWebgl(): boolean {
    return this.webgl !== undefined;
  }

  /** Puts the terminal into `parent` (opening it the first time; moving its element later). */
  mount(parent: HTMLElement): void {
    if (this.disposed) return;
    if (!this.opened) {
      this.terminal.open(parent);
      this.opened = true;
    } else if (this.terminal.element && this.terminal.element.parentElement !== parent) {
      parent.appendChild(this.terminal.element as unknown as Node);
    }
    this.syncRenderer();
  }

  async attach(mode: AttachMode): Promise<void> {
    this.mode = mode;
    this.deps.onStatus('attaching');
    try {
      await this.deps.hub.attach(this.deps.session, mode);
    } catch (error) {
      this.deps.onStatus('error', error instanceof Error ? error.message : String(error));
    }
  }

  /** A hub message for this session (the router filters by session). */
  handle(message: HubMessage): void {
    if (this.disposed) return;
    switch (message.type) {
      case 'pty.snapshot':
        this.roleValue = message.role;
        this.wished = undefined; // a new attachment: the hub forgot this client's wish
        this.size = { cols: message.cols, rows: message.rows };
        this.dropHidden();
        this.terminal.reset();
        this.terminal.resize(message.cols, message.rows);
        this.terminal.write(message.data);
        this.offset = message.offset;
        this.deps.onStatus('live');
        this.fit();
        return;
      case 'pty.output':
        return this.output(message.offset, message.data);
      case 'pty.resized': {
        const { cols, rows } = message;
        this.size = { cols, rows };
        if (!this.visible) return void (this.stale || this.hidden.push({ cols, rows }));
        // In stream order: output before the resize was written at the old size.
        this.terminal.write('', () => {
          this.terminal.resize(cols, rows);
          this.fitter?.review(this.size, false);
        });
        return;
      }
      case 'pty.resync':
        this.deps.onStatus('resync', 'Catching up: the hub sends a fresh screen.');
        return;
      case 'pty.exit':
        this.deps.onStatus('exited');
        return;
      default:
        return;
    }
  }

  private output(offset: number, data: string): void {
    if (this.offset < 0) return; // before the snapshot: the snapshot covers it
    const end = offset + data.length;
    if (end <= this.offset) return; // already in the snapshot
    const fresh = offset < this.offset ? data.slice(this.offset - offset) : data;
    this.offset = end;
    const chars = data.length;
    if (!this.visible) return this.keepHidden(fresh, chars);
    // Ack once xterm has parsed it: the hub's credit tracks what the client really processed.
    this.terminal.write(fresh, () => this.deps.hub.ack(this.deps.session, chars));
  }

  /** Hidden: buffer (bounded) and ack at once; the buffer is ours to bound, not the hub's. */
  private keepHidden(data: string, chars: number): void {
    this.deps.hub.ack(this.deps.session, chars);
    if (this.stale) return;
    this.hidden.push(data);
    this.hiddenChars += data.length;
    if (this.hiddenChars > HIDDEN_BUFFER_MAX_CHARS) {
      this.dropHidden();
      this.stale = true;
    }
  }

  private dropHidden(): void {
    this.hidden = [];
    this.hiddenChars = 0;
    this.stale = false;
  }

  /** Shown again: replay what arrived meanwhile, or attach again when that was too much. */
  private catchUp(): void {
    if (this.stale) {
      this.dropHidden();
      void this.attach(this.mode);
      return;
    }
    const pending = this.hidden;
    this.dropHidden();
    let text = '';
    for (const item of pending) {
      if (typeof item === 'string') text += item;
      else {
        if (text) this.terminal.write(text);
        text = '';
        const { cols, rows } = item;
        this.terminal.write('', () => this.terminal.resize(cols, rows));
      }
    }
    if (text) this.terminal.write(text);
  }

  private typed(data: string): void {
    const gate = this.deps.gate();
    if (!gate.allowed) {
      this.deps.onHint(gate.hint);
      return;
    }
    try {
      this.deps.hub.type(this.deps.session, data);
    } catch (error) {
      this.deps.onHint(error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The hub refused a keystroke typed into this pane (`lease_held`, `not_allowed`, `session_ended`…): its
   * error came without `replyTo`, naming this session, so the pane shows it as it shows a blocked key.
   */
  refused(error: Error): void {
    if (!this.disposed) this.deps.onHint(error.message);
  }

  setVisible(visible: boolean): void {
    if (this.visible === visible) return;
    this.visible = visible;
    if (visible) this.catchUp();
    this.syncRenderer();
    if (visible) this.fit();
  }

  /**
   * Re-reads the pane size; the owner or lease holder sizes the session to it. A driver without the lease
   * sends it too: the hub answers not_allowed but keeps it as a wish, which the session takes when the
   * driver whose size holds leaves (tmux's latest-client rule, issue 13). Observers never resize.
   */
  fit(): void {
    if (!this.visible || this.disposed || this.roleValue === undefined) return;
    const sizes = this.roleValue === 'owner' || (this.roleValue === 'driver' && this.deps.maySize());
    // A pane that sizes the session is about to match it; any other one fits or scrolls (issue 13).
    const view = this.fitter?.review(this.size, sizes);
    if (this.roleValue === 'observer') return;
    const proposed = view ?? this.parts.proposeSize();
    if (!proposed) return;
    const same = (size: { cols: number; rows: number } | undefined) =>
      proposed.cols === size?.cols && proposed.rows === size.rows;
    if (!sizes) {
      if (same(this.wished)) return;
      this.wished = proposed;
      this.deps.hub.resize(this.deps.session, proposed.cols, proposed.rows).catch(() => undefined);
      return;
    }
    this.wished = proposed;
    if (same(this.size)) return;
    this.size = proposed;
    this.deps.hub.resize(this.deps.session, proposed.cols, proposed.rows).catch(() => undefined);
  }

  /**
   * Who may size the session changed (`lease.changed`): a driver that now holds the lease sizes the
   * session to its pane at once, instead of at its next pane resize.
   */
  sizingChanged(): void {
    this.fit();
  }

  get viewMode(): ViewMode {
    return this.fitter?.mode ?? 'fit';
  }

  /** Fit (smaller font) or scroll, for a pane smaller than its session. */
  setViewMode(mode: ViewMode): void {
    if (this.visible && !this.disposed) this.fitter?.setMode(mode, this.size);
  }

  find(text: string, backwards = false): boolean {
    return text.length > 0 && this.parts.find(text, backwards);
  }

  focus(): void {
    this.terminal.focus();
  }

  selection(): string {
    return this.parts.selection();
  }

  paste(text: string): void {
    if (!this.disposed && text.length > 0) this.parts.paste(text);
  }

  /** Re-evaluates whether this pane should use WebGL (after a settings change). */
  syncRenderer(): void {
    const want =
      this.opened && this.visible && !this.disposed && !this.webglBroken && this.deps.webglEnabled();
    if (want && !this.webgl) this.takeWebgl();
    else if (!want && this.webgl) this.releaseWebgl();
  }

  private takeWebgl(): void {
    if (!this.deps.pool.acquire(this.poolId)) return;
    try {
      const addon = this.deps.createWebgl();
      this.terminal.loadAddon(addon);
      addon.onContextLoss(() => {
        this.webglBroken = true; // the GPU went away: stay on the DOM renderer
        this.releaseWebgl();
      });
      this.webgl = addon;
    } catch {
      this.webglBroken = true;
      this.deps.pool.release(this.poolId);
    }
  }

  private releaseWebgl(): void {
    const addon = this.webgl;
    this.webgl = undefined;
    this.deps.pool.release(this.poolId);
    addon?.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.releaseWebgl();
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.deps.hub.detach(this.deps.session).catch(() => undefined);
    this.terminal.dispose();
  }
}
