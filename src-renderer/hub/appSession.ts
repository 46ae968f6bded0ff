// The renderer's one connection to the hub: routes terminal messages to their controllers (bypassing
// React), everything else through the store's reducer; owns the terminal controllers; reconnects.
import type {
  AttachMode,
  ClientMessageOf,
  HubClient,
  HubMessage,
  InboxAnswer,
  SessionCreate,
} from '../../src-protocol/index.js';
import { useInbox } from '../inbox/inboxStore.js';
import { LOCAL_HUB } from '../state/hubs.js';
import { paneMode, useApp } from '../state/store.js';
import { restoreWindow } from '../state/windowMemory.js';
import type { TerminalController, TerminalHub } from '../terminal/terminalController.js';
import { connectToHub, LoginRequired } from './connection.js';
import {
  applyThemeEverywhere,
  everyController,
  PaneControllers,
  typeInto,
  type PaneHost,
} from './paneControllers.js';

type TerminalMessage = Extract<HubMessage, { type: `pty.${string}` }>;
const isTerminalMessage = (message: HubMessage): message is TerminalMessage =>
  message.type.startsWith('pty.');
/** Stores want the role from a snapshot and the exit, not the bytes. */
const STORE_TERMINAL_MESSAGES = new Set(['pty.snapshot', 'pty.exit']);
const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000];
const HUB_DOWN = 'Hub unreachable, reconnecting…';
/** Coalesces the session-list reads that refresh worktrees' uncommitted counts. */
const REFRESH_DELAY_MS = 300;
export type MergeMode = 'merge' | 'rebase' | 'discard';
export type WorktreeMergeResult = Extract<HubMessage, { type: 'worktree.merge.result' }>;

class AppSession implements PaneHost {
  private client: HubClient | undefined;
  private attempts = 0;
  private started = false;
  /** Connected at least once: a later loss is the hub going away, shown as such. */
  private wasOpen = false;
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
    type: (session, data) => typeInto(this.hub, session, data),
    resize: (session, cols, rows) => this.hub.resize(session, cols, rows),
    ack: (session, chars) => this.client?.ack(session, chars),
  };

  private readonly panes = new PaneControllers(
    LOCAL_HUB,
    this.terminalHub,
    () => useApp.getState().hub,
    (session) => useApp.getState().dispatch({ type: 'local.detached', session }),
  );

  controller(session: string): TerminalController | undefined {
    return this.panes.get(session);
  }

  private async connect(): Promise<void> {
    const { setUi, dispatch } = useApp.getState();
    // Reconnecting keeps the banner and the greyed last state as they are; the first connect says so.
    if (!this.wasOpen) setUi({ connection: 'connecting', connectionDetail: '', sentAway: null });
    this.sentAway = undefined;
    try {
      const client = await connectToHub((candidate) => {
        candidate.onMessage((message) => this.route(message));
        // A refused keystroke (sent without an id) shows on its pane, unless the hub is stopping anyway.
        this.panes.hearRefusals(candidate, () => this.sentAway?.reason !== 'hub_stopping');
      });
      this.client = client;
      this.attempts = 0;
      client.onClose((reason) => this.closed(reason));
      dispatch(await client.expect('session.list.result', { type: 'session.list' }));
      if (useApp.getState().hub.self?.role === 'owner') {
        dispatch(await client.expect('task.list.result', { type: 'task.list' }));
        await this.listNotices(client);
      }
      restoreWindow(); // the arrangement of the last visit, once the sessions are known (issue 13)
      await this.listInbox(client);
      setUi({ connection: 'open', connectionDetail: '', sentAway: null });
      this.wasOpen = true;
      // After a reconnect, panes that were open attach again (each gets a fresh snapshot).
      for (const [session, controller] of this.panes.map)
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
    useInbox.getState().disconnected();
    const away = this.sentAway;
    // Revoked or kicked: say so and stay away; reconnecting would only be refused, or undo the kick.
    if (away && away.reason !== 'hub_stopping')
      return useApp
        .getState()
        .setUi({ connection: 'login', connectionDetail: away.message, sentAway: away.reason });
    this.retry(`Connection closed (${reason}).`);
  }

  /** Once connected, a lost hub is one steady banner (issue 13 #11), never the browser's raw fetch error. */
  private retry(detail: string): void {
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempts++, RECONNECT_DELAYS_MS.length - 1)]!;
    const connectionDetail = this.wasOpen ? HUB_DOWN : `Cannot reach the hub (${detail}). Retrying…`;
    useApp.getState().setUi({ connection: 'closed', connectionDetail });
    setTimeout(() => void this.connect(), delay);
  }

  /** Called after a login: connect now instead of waiting. */
  reconnectNow(): void {
    void this.connect();
  }

  private route(message: HubMessage): void {
    if (message.type === 'connection.closing') this.sentAway = message;
    // The hub is stopping (issue 13 #11): what it does to its sessions meanwhile is not news to show.
    if (this.sentAway?.reason === 'hub_stopping') return;
    if (isTerminalMessage(message)) {
      this.panes.get(message.session)?.handle(message);
      if (!STORE_TERMINAL_MESSAGES.has(message.type)) return;
    }
    const before =
      message.type === 'session.event' ? useApp.getState().hub.sessions[message.session.id] : null;
    useApp.getState().dispatch(message);
    this.panes.heard(message);
    useInbox.getState().apply(message);
    // Restarted in place (issue 13): an open pane attaches to the new process for its fresh screen.
    if (message.type === 'session.event' && before?.status === 'ended' && message.session.status !== 'ended')
      void this.panes.get(message.session.id)?.attach(paneMode(useApp.getState(), message.session.id));
    if (
      message.type === 'session.event' &&
      message.kind === 'updated' &&
      message.session.worktree &&
      before?.status !== message.session.status
    )
      this.refreshSessions(REFRESH_DELAY_MS);
  }

  ensureController(session: string, mode: AttachMode): TerminalController {
    return this.panes.ensure(session, mode);
  }

  releaseController(session: string): void {
    this.panes.release(session);
  }

  async setMode(session: string, mode: AttachMode): Promise<void> {
    useApp.getState().setMode(session, mode);
    await this.panes.get(session)?.attach(mode);
  }

  /** Theme and renderer changes reach every pane, of this hub and of hubs joined with a link. */
  applyTheme(): void {
    applyThemeEverywhere();
  }

  applyRenderer(): void {
    for (const controller of everyController()) controller.syncRenderer();
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
    return this.controller(session)?.selection() ?? '';
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

  /** The open inbox items this client may see; a hub without an inbox leaves the inbox unloaded. */
  private async listInbox(client: HubClient): Promise<void> {
    try {
      useInbox.getState().apply(await client.expect('inbox.items', { type: 'inbox.list' }));
    } catch (error) {
      if (client.isClosed) throw error;
    }
  }

  /** The notices the hub kept (issue 13); a hub without them leaves the window raising its own. */
  private async listNotices(client: HubClient): Promise<void> {
    try {
      useApp.getState().dispatch(await client.expect('notice.list.result', { type: 'notice.list' }));
    } catch (error) {
      if (client.isClosed) throw error;
    }
  }

  /** The notices panel is open: everything it shows is read, in every window (the hub keeps the mark). */
  markNoticesRead(): void {
    const { hub } = useApp.getState();
    const newest = hub.notices[0]?.id ?? 0;
    if (!hub.hubNotices || newest <= hub.noticesReadUpTo) return;
    this.client?.request({ type: 'notice.read', upTo: newest }).catch(() => undefined);
  }

  /** Answers an inbox item (allow, deny, choose, reply, merge); the hub says what happened, in words. */
  answerItem(item: string, answer: InboxAnswer) {
    return this.hub.expect('inbox.answered', { type: 'inbox.answer', item, answer });
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
