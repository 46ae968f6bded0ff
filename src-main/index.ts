// Electron main: composition only. Starts the hub in-process and opens the window (the full desktop app
// is issue #4; this entry builds and type-checks so the layering holds from day one).
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { createHub, type Hub } from '../src-hub/index.js';

let hub: Hub | undefined;

async function start(): Promise<void> {
  hub = createHub({ stateDir: process.env.SWITCHBOARD_HOME ?? join(app.getPath('userData'), 'state') });
  await hub.listen();
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    title: 'Switchboard',
    webPreferences: {
      preload: join(import.meta.dirname, '../src-preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  await window.loadFile(join(import.meta.dirname, '../src-renderer/index.html'));
}

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!hub) return;
  event.preventDefault();
  const closing = hub;
  hub = undefined;
  void closing.close().finally(() => app.quit());
});
void app.whenReady().then(start);
