// The preload: a minimal typed bridge. Today it only tells the renderer it runs inside the desktop app.
import { contextBridge } from 'electron';

export interface SwitchboardBridge {
  readonly desktop: true;
  readonly platform: string;
}

contextBridge.exposeInMainWorld('switchboard', {
  desktop: true,
  platform: process.platform,
} satisfies SwitchboardBridge);
