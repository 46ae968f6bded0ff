// Electron main: composition only. One instance; the hub runs in-process (state under userData); the
// window's renderer talks to it over the IPC bridge; tray, notifications, and a question before quitting
// with live sessions. The logic lives in small modules with unit tests on fakes.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import { join } from 'node:path';
import { createHub, fileLogger, type Hub } from '../src-hub/index.js';
import type { HubClient } from '../src-protocol/index.js';
import { BRIDGE_CHANNELS } from '../src-preload/bridge.js';
import { IpcBridge } from './ipcBridge.js';
import { quitQuestion } from './quitGuard.js';
import { startTray } from './trayController.js';
import { APP_ORIGIN, createMainWindow, registerAppScheme, serveRenderer } from './window.js';

const RENDERER_DIR = join(import.meta.dirname, '..', 'renderer');
const PRELOAD = join(import.meta.dirname, '..', 'preload', 'index.cjs');
const ASSETS = join(app.getAppPath(), 'assets');

let hub: Hub | undefined;
let monitor: HubClient | undefined;
let window: BrowserWindow | undefined;
let quitConfirmed = false;

if (!app.requestSingleInstanceLock()) app.exit(0);
registerAppScheme();

function showWindow(): BrowserWindow {
  if (!window || window.isDestroyed()) window = createMainWindow(PRELOAD, join(ASSETS, 'icon.png'));
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
  return window;
}

const sendToWindow = (channel: string, ...args: unknown[]) => showWindow().webContents.send(channel, ...args);

async function start(): Promise<void> {
  const stateDir = process.env.SWITCHBOARD_HOME ?? join(app.getPath('userData'), 'state');
  const logger = fileLogger(join(stateDir, 'hub.log'));
  hub = createHub({ stateDir, logger, webUiDir: RENDERER_DIR });
  // Loopback only; hub.json lets the CLI (and `switchboard open` for a browser) find this hub.
  await hub.listen({ port: 0 });
  serveRenderer(RENDERER_DIR);
  const bridge = new IpcBridge({
    ipc: ipcMain,
    hub,
    target: () => (window && !window.isDestroyed() ? window.webContents : undefined),
    appOrigin: APP_ORIGIN,
    onRefused: (channel, event) =>
      logger.event('ipc.refused', { channel, sender: event.sender.id, url: event.senderFrame?.url ?? null }),
  });
  app.on('will-quit', () => bridge.dispose());
  const shown = showWindow();
  monitor = await hub.connect();
  const tray = await startTray(
    monitor,
    join(ASSETS, process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
    {
      show: () => void showWindow(),
      newSession: () => sendToWindow(BRIDGE_CHANNELS.newSession),
      quit: () => app.quit(),
      focusSession: (session) => sendToWindow(BRIDGE_CHANNELS.focusSession, session),
      openInbox: () => sendToWindow(BRIDGE_CHANNELS.openInbox),
    },
  );
  shown.on('focus', () => tray.looked());
  app.on('will-quit', () => tray.dispose());
}

app.on('second-instance', () => void showWindow());
app.on('activate', () => void showWindow());
// The hub keeps running in the tray when the window closes; Quit is in the tray menu.
app.on('window-all-closed', () => undefined);

app.on('before-quit', (event) => {
  if (quitConfirmed || !hub) return;
  const question = quitQuestion(hub.registry.list().map((session) => session.info()));
  if (!question) return;
  event.preventDefault();
  const choice = dialog.showMessageBoxSync(showWindow(), {
    type: 'question',
    message: question.message,
    detail: question.detail,
    buttons: question.buttons,
    defaultId: 1,
    cancelId: 1,
  });
  if (choice === 0) {
    quitConfirmed = true;
    app.quit();
  }
});

app.on('will-quit', (event) => {
  if (!hub) return;
  event.preventDefault();
  const closing = hub;
  hub = undefined;
  monitor?.close();
  void closing.close().finally(() => app.exit(0));
});

void app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    dialog.showErrorBox(
      'Switchboard could not start',
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
    app.exit(1);
  });
