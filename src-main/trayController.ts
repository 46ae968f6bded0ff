// The tray icon and OS notifications, driven by the hub's events through TrayModel, Notifier and
// InboxNotifier.
import { Menu, Notification, Tray, app, nativeImage, type MenuItemConstructorOptions } from 'electron';
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { InboxNotifier, type InboxNotification } from './inboxNotifier.js';
import { Notifier } from './notifier.js';
import { TrayModel, type TrayAction } from './trayModel.js';

export interface TrayActions {
  show: () => void;
  newSession: () => void;
  quit: () => void;
  focusSession: (session: string) => void;
  openInbox: () => void;
}

/** An OS notification (when the OS has them) whose click runs `onClick`. */
function notify(title: string, body: string, onClick: () => void): void {
  if (!Notification.isSupported()) return;
  const notification = new Notification({ title, body });
  notification.on('click', onClick);
  notification.show();
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
    inbox: actions.openInbox,
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
    app.setBadgeCount(model.badge());
  };
  const notifier = new Notifier((spec) =>
    notify(spec.title, spec.body, () => actions.focusSession(spec.session)),
  );
  const inboxNotifier = new InboxNotifier({
    show: (spec: InboxNotification) =>
      notify(spec.title, spec.body, () =>
        spec.session ? actions.focusSession(spec.session) : actions.openInbox(),
      ),
    setTimer: (run, ms) => setTimeout(run, ms),
    clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
  });
  const apply = (message: HubMessage) => {
    notifier.apply(message);
    inboxNotifier.apply(message);
    return model.apply(message);
  };
  tray.on('click', actions.show);
  client.onMessage((message) => {
    if (apply(message)) render();
  });
  for (const message of [
    await client.expect('session.list.result', { type: 'session.list' }),
    await client.expect('task.list.result', { type: 'task.list' }),
  ])
    apply(message);
  // A hub without an inbox answers with an error: the tray then counts waiting sessions as before.
  await client
    .expect('inbox.items', { type: 'inbox.list' })
    .then(apply)
    .catch(() => undefined);
  render();
  return {
    looked: () => model.looked() && render(),
    dispose: () => {
      inboxNotifier.dispose();
      tray.destroy();
    },
  };
}
