// The terminal controllers of one hub's panes, keyed by that hub's session ids, while the UI state they
// report to (hints, pane status) is keyed by pane key (state/hubs.ts). The local hub and each joined hub
// own one set; theme and renderer changes reach every set.
import type { AttachMode, Disposable, HubClient, HubMessage } from '../../src-protocol/index.js';
import type { HubState } from '../state/hubState.js';
import { inputGate } from '../state/hubState.js';
import { paneKey } from '../state/hubs.js';
import { usePaneViews } from '../state/paneViews.js';
import { useApp } from '../state/store.js';
import { TerminalController, type TerminalHub } from '../terminal/terminalController.js';
export { typeInto } from '../terminal/terminalController.js';
import { WebglPool } from '../terminal/webglPool.js';
import { createWebgl, createXterm, setTerminalTheme } from '../terminal/xtermFactory.js';
import { isAppShortcut } from '../shortcuts.js';

/** What a pane needs of the hub it belongs to. */
export interface PaneHost {
  readonly hub: HubClient;
  controller(session: string): TerminalController | undefined;
  ensureController(session: string, mode: AttachMode): TerminalController;
  releaseController(session: string): void;
  setMode(session: string, mode: AttachMode): Promise<void>;
}

/** One pool of WebGL contexts for every visible pane, whichever hub it shows. */
const pool = new WebglPool();
const everySet = new Set<PaneControllers>();

export function everyController(): TerminalController[] {
  return [...everySet].flatMap((set) => [...set.map.values()]);
}

export function applyThemeEverywhere(): void {
  const { theme } = useApp.getState().ui;
  for (const controller of everyController()) setTerminalTheme(controller.terminal, theme);
}

export class PaneControllers {
  readonly map = new Map<string, TerminalController>();

  constructor(
    private readonly hubId: string,
    private readonly terminalHub: TerminalHub,
    private readonly hubState: () => HubState,
    private readonly onDetached: (session: string) => void,
  ) {
    everySet.add(this);
  }

  get(session: string): TerminalController | undefined {
    return this.map.get(session);
  }

  /** The controller for a pane, created and attached on first use. */
  ensure(session: string, mode: AttachMode): TerminalController {
    const existing = this.map.get(session);
    if (existing) return existing;
    const store = useApp.getState;
    const key = paneKey(this.hubId, session);
    const controller = new TerminalController({
      session,
      hub: this.terminalHub,
      pool,
      createTerminal: () => createXterm(store().ui.theme, isAppShortcut, () => store().ui.copyOnSelect),
      createWebgl,
      webglEnabled: () => store().ui.webgl,
      gate: () => inputGate(this.hubState(), session),
      maySize: () => {
        const hub = this.hubState();
        return hub.leases[session]?.holder === hub.self?.clientId;
      },
      onHint: (text) => store().hint(key, text),
      onStatus: (status, detail) =>
        store().setUi({ paneStatus: { ...store().ui.paneStatus, [key]: detail ?? status } }),
      onView: (report) => usePaneViews.getState().report(key, report),
    });
    this.map.set(session, controller);
    void controller.attach(mode);
    return controller;
  }

  /** Shows each refused keystroke on the pane of the session it names (`HubClient.onRefusal`). */
  hearRefusals(client: HubClient, when: () => boolean = () => true): Disposable {
    return client.onRefusal((session, error) => {
      if (when()) this.map.get(session)?.refused(error);
    });
  }

  /** A hub message the store has taken in: a lease change lets a driver's pane size its session. */
  heard(message: HubMessage): void {
    if (message.type === 'lease.changed') this.map.get(message.session)?.sizingChanged();
  }

  release(session: string): void {
    const controller = this.map.get(session);
    if (!controller) return;
    this.map.delete(session);
    controller.dispose();
    usePaneViews.getState().report(paneKey(this.hubId, session), undefined);
    this.onDetached(session);
  }

  /** Every pane of this hub goes (the hub was left). */
  releaseAll(): void {
    for (const session of [...this.map.keys()]) this.release(session);
  }

  dispose(): void {
    this.releaseAll();
    everySet.delete(this);
  }
}
