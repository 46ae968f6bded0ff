// The renderer's one connection to the hub: routes terminal messages to their controllers (bypassing
// React), everything else through the store's reducer; owns the terminal controllers; reconnects.
import type {
  AttachMode,
  ClientMessageOf,
  HubClient,
  HubMessage,
  SessionCreate,
} from '../../src-protocol/index.js';
import { inputGate } from '../state/hubState.js';
import { paneMode, useApp } from '../state/store.js';
import { TerminalController, type TerminalHub } from '../terminal/terminalController.js';
import { WebglPool } from '../terminal/webglPool.js';
import { createWebgl, createXterm, setTerminalTheme } from '../terminal/xtermFactory.js';
import { connectToHub, LoginRequired } from './connection.js';
import { isAppShortcut } from '../shortcuts.js';

type TerminalMessage = Extract<HubMessage, { type: `pty.${string}` }>;
const isTerminalMessage = (message: HubMessage): message is TerminalMessage =>
  message.type.startsWith('pty.');
/** Stores want the role from a snapshot and the exit, not the bytes. */
const STORE_TERMINAL_MESSAGES = new Set(['pty.snapshot', 'pty.exit']);
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];
/** Coalesces the session-list reads that refresh worktrees' uncommitted counts. */
const REFRESH_DELAY_MS = 300;
export type MergeMode = 'merge' | 'rebase' | 'discard';
export type WorktreeMergeResult = Extract<HubMessage, { type: 'worktree.merge.result' }>;

class AppSession {
  private client: HubClient | undefined;
  private readonly controllers = new Map<string, TerminalController>();
  private readonly pool = new WebglPool();
  private attempts = 0;
  private started = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** What the hub said when it sent this client away on purpose (revoked, kicked). */
  private sentAway: Extract<HubMessage, { type: 'connection.closing' }> | undefined;

  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  get hub(): HubClient {
    if (!this.client || this.client.isClosed) throw new Error('Not connected to the hub.');
    return this.client;
  }

  /** Calls through whichever connection is current, so controllers outlive a reconnect. */
  private readonly terminalHub: TerminalHub = {
    attach: (session, mode) => this.hub.attach(session, mode),
    detach: (session) => this.hub.detach(session),
    input: (session, data) => this.hub.input(session, data),
    resize: (session, cols, rows) => this.hub.resize(session, cols, rows),
    ack: (session, chars) => this.client?.ack(session, chars),
  };

  controller(session: string): TerminalController | undefined {
    return this.controllers.get(session);
  }

  private async connect(): Promise<void> {
    const { setUi, dispatch } = useApp.getState();
    setUi({ connection: 'connecting', connectionDetail: '', sentAway: null });
    this.sentAway = undefined;
    try {
      const client = await connectToHub((candidate) => candidate.onMessage((message) => this.route(message)));
      this.client = client;
      this.attempts = 0;
      client.onClose((reason) => this.closed(reason));
      dispatch(await client.expect('session.list.result', { type: 'session.list' }));
      if (useApp.getState().hub.self?.role === 'owner')
        dispatch(await client.expect('task.list.result', { type: 'task.list' }));
      setUi({ connection: 'open' });
      // After a reconnect, panes that were open attach again (each gets a fresh snapshot).
      for (const [session, controller] of this.controllers)
        void controller.attach(paneMode(useApp.getState(), session));
      // An invite for one session opens it at once: that session is why the invitee came.
      const { hub, ui, showPane } = useApp.getState();
      if (hub.self?.scope && ui.layout.open.length === 0 && hub.sessions[hub.self.scope])
        showPane(hub.self.scope);
    } catch (error) {
      // Not logged in yet needs no alarm; a revoked invite or a refused listener says so.
      if (error instanceof LoginRequired)
        return setUi({
          connection: 'login',
          connectionDetail: error.code === 'unauthorized' ? '' : error.message,
        });
      this.retry(error instanceof Error ? error.message : String(error));
    }
  }

  private closed(reason: string): void {
    useApp.getState().dispatch({ type: 'local.disconnected' });
    const away = this.sentAway;
    // Revoked or kicked: say so and stay away; reconnecting would only be refused, or undo the kick.
    if (away && away.reason !== 'hub_stopping')
      return useApp
        .getState()
        .setUi({ connection: 'login', connectionDetail: away.message, sentAway: away.reason });
    this.retry(`Connection closed (${reason}).`);
  }

  private retry(detail: string): void {
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempts++, RECONNECT_DELAYS_MS.length - 1)]!;
    useApp.getState().setUi({ connection: 'closed', connectionDetail: `${detail} Retrying…` });
    setTimeout(() => void this.connect(), delay);
  }

  /** Called after a login: connect now instead of waiting. */
  reconnectNow(): void {
    void this.connect();
  }

  private route(message: HubMessage): void {
    if (message.type === 'connection.closing') this.sentAway = message;
    if (isTerminalMessage(message)) {
      this.controllers.get(message.session)?.handle(message);
      if (!STORE_TERMINAL_MESSAGES.has(message.type)) return;
    }
    const before =
      message.type === 'session.event' ? useApp.getState().hub.sessions[message.session.id] : null;
    useApp.getState().dispatch(message);
    if (
      message.type === 'session.event' &&
      message.kind === 'updated' &&
      message.session.worktree &&
      before?.status !== message.session.status
    )
      this.refreshSessions(REFRESH_DELAY_MS);
  }

  /** The controller for a pane, created and attached on first use. */
  ensureController(session: string, mode: AttachMode): TerminalController {
    const existing = this.controllers.get(session);
    if (existing) return existing;
    const store = useApp.getState;
    const controller = new TerminalController({
      session,
      hub: this.terminalHub,
      pool: this.pool,
      createTerminal: () => createXterm(store().ui.theme, isAppShortcut),
      createWebgl,
      webglEnabled: () => store().ui.webgl,
      gate: () => inputGate(store().hub, session),
      maySize: () => {
        const { hub } = store();
        return hub.leases[session]?.holder === hub.self?.clientId;
      },
      onHint: (text) => store().hint(session, text),
      onStatus: (status, detail) =>
        store().setUi({ paneStatus: { ...store().ui.paneStatus, [session]: detail ?? status } }),
    });
    this.controllers.set(session, controller);
    void controller.attach(mode);
    return controller;
  }

  releaseController(session: string): void {
    const controller = this.controllers.get(session);
    if (!controller) return;
    this.controllers.delete(session);
    controller.dispose();
    useApp.getState().dispatch({ type: 'local.detached', session });
  }

  async setMode(session: string, mode: AttachMode): Promise<void> {
    useApp.getState().setMode(session, mode);
    await this.controllers.get(session)?.attach(mode);
  }

  applyTheme(): void {
    const { theme } = useApp.getState().ui;
    for (const controller of this.controllers.values()) setTerminalTheme(controller.terminal, theme);
  }

  applyRenderer(): void {
    for (const controller of this.controllers.values()) controller.syncRenderer();
  }

  async createSession(options: Omit<SessionCreate, 'type' | 'id'>) {
    const session = await this.hub.createSession(options);
    useApp.getState().dispatch({ type: 'session.event', kind: 'added', session });
    return session;
  }

  async cancelTask(task: string) {
    useApp.getState().dispatch(await this.hub.expect('task.result', { type: 'task.cancel', task }));
  }

  /** A task from the graph's form, exactly as `switchboard delegate` makes it (issue 17). */
  async delegateTask(request: Omit<ClientMessageOf<'task.delegate'>, 'type' | 'id'>) {
    const reply = await this.hub.expect('task.result', { type: 'task.delegate', ...request });
    useApp.getState().dispatch(reply);
    return reply.task;
  }

  async rerouteTask(task: string, to: string) {
    useApp.getState().dispatch(await this.hub.expect('task.result', { type: 'task.reroute', task, to }));
  }

  /** Re-sends a task; both the copy and the linked original go to the store. */
  async retryTask(task: string, options: Omit<ClientMessageOf<'task.retry'>, 'type' | 'id' | 'task'>) {
    const reply = await this.hub.expect('task.retry.result', { type: 'task.retry', task, ...options });
    const { dispatch } = useApp.getState();
    dispatch({ type: 'task.result', replyTo: reply.replyTo, task: reply.original });
    dispatch({ type: 'task.result', replyTo: reply.replyTo, task: reply.task });
    return reply.task;
  }

  /** The text selected in a session's open pane, if any (a delegation's title comes from it). */
  selectedText(session: string): string {
    const terminal = this.controllers.get(session)?.terminal as { getSelection?: () => string } | undefined;
    return terminal?.getSelection?.() ?? '';
  }

  /** Brings a task's worktree back (or throws away), then reads the sessions again for fresh git state. */
  async mergeTask(task: string, mode: MergeMode, force = false): Promise<WorktreeMergeResult> {
    const outcome = await this.hub.expect('worktree.merge.result', {
      type: 'worktree.merge',
      task,
      mode,
      ...(force ? { force } : {}),
    });
    this.refreshSessions(0);
    return outcome;
  }

  /**
   * Session events do not carry a worktree's uncommitted count (git is read when listing), so a status
   * change of a session in a worktree (its turn ended, it ended) asks for the list again, coalesced.
   */
  private refreshSessions(delayMs: number): void {
    if (this.refreshTimer !== undefined) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      const client = this.client;
      if (!client) return;
      client
        .expect('session.list.result', { type: 'session.list' })
        .then((list) => useApp.getState().dispatch(list))
        .catch(() => undefined); // a closed connection lists again when it reconnects
    }, delayMs);
  }
}

export const appSession = new AppSession();
