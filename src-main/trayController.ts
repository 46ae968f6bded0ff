// The tray icon and OS notifications, driven by the hub's events through TrayModel and Notifier.
import { Menu, Notification, Tray, app, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { HubClient } from '../src-protocol/index.js';
import { Notifier } from './notifier.js';
import { TrayModel, type TrayAction } from './trayModel.js';

export interface TrayActions {
  show: () => void;
  newSession: () => void;
  quit: () => void;
  focusSession: (session: string) => void;
}

export async function startTray(
  client: HubClient,
  icon: string,
  actions: TrayActions,
): Promise<{ looked(): void; dispose(): void }> {
  const model = new TrayModel();
  const tray = new Tray(nativeImage.createFromPath(icon));
  const run: Record<TrayAction, () => void> = {
    show: actions.show,
    'new-session': actions.newSession,
    quit: actions.quit,
  };
  const render = () => {
    const template: MenuItemConstructorOptions[] = model.menu().map((item) =>
      'separator' in item
        ? { type: 'separator' }
        : {
            label: item.label,
            enabled: item.enabled ?? true,
            ...(item.action ? { click: run[item.action] } : {}),
          },
    );
    tray.setContextMenu(Menu.buildFromTemplate(template));
    tray.setToolTip(model.tooltip());
    if (process.platform === 'darwin') tray.setTitle(model.title());
    app.setBadgeCount(model.counts.waiting + model.counts.done);
  };
  const notifier = new Notifier((spec) => {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: spec.title, body: spec.body });
    notification.on('click', () => actions.focusSession(spec.session));
    notification.show();
  });
  tray.on('click', actions.show);
  client.onMessage((message) => {
    notifier.apply(message);
    if (model.apply(message)) render();
  });
  for (const message of [
    await client.expect('session.list.result', { type: 'session.list' }),
    await client.expect('task.list.result', { type: 'task.list' }),
  ]) {
    notifier.apply(message);
    model.apply(message);
  }
  render();
  return {
    looked: () => model.looked() && render(),
    dispose: () => tray.destroy(),
  };
}
