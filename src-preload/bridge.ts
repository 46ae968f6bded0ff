// The desktop bridge's contract, shared by the preload (which implements it), the main process (which
// answers its channels) and the renderer (which uses it). Types and names only: no Node, no Electron.

/** Fixed IPC channels; there is no generic invoke. */
export const BRIDGE_CHANNELS = {
  /** renderer → main (invoke): a single-use owner ticket for the `auth` frame. */
  ticket: 'switchboard:ticket',
  /** renderer → main (send): open a fresh hub connection for this window, replacing any previous one. */
  open: 'switchboard:open',
  /** both ways (send): one protocol frame. */
  frame: 'switchboard:frame',
  /** main → renderer: the hub connection closed, with a reason. */
  closed: 'switchboard:closed',
  /** main → renderer: show this session (a tray or notification click). */
  focusSession: 'switchboard:focus-session',
  /** main → renderer: open the new-session dialog (tray menu). */
  newSession: 'switchboard:new-session',
  /** main → renderer: open the Inbox panel (tray menu, a grouped notification's click). */
  openInbox: 'switchboard:open-inbox',
} as const;

export interface SwitchboardBridge {
  readonly desktop: true;
  readonly platform: string;
  ticket(): Promise<string>;
  open(): void;
  send(frame: string): void;
  onFrame(listener: (frame: string) => void): () => void;
  onClosed(listener: (reason: string) => void): () => void;
  onFocusSession(listener: (session: string) => void): () => void;
  onNewSession(listener: () => void): () => void;
  onOpenInbox(listener: () => void): () => void;
}
