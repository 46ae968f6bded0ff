// A real hub with its LAN listener (TLS, bound to 127.0.0.1), one `cat` session showing a first line, and
// Debian's Chromium pinned to the hub's key, as an invitee checks the fingerprint at the certificate
// warning: what the invitee journeys share. Only 127.0.0.1 is contacted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createHub, memoryLogger, type Hub } from '../src-hub/index.js';
import { spkiHash } from '../src-hub/net/certificate.js';
import type { HubClient } from '../src-protocol/index.js';
import { waitForScreen } from '../test/helpers.js';
import { chromiumLaunchOptions } from '../bench/lib/chromium.mjs';
import { WEB_UI_DIR } from './harness.js';

export interface LanHub {
  stateDir: string;
  hub: Hub;
  owner: HubClient;
  /** The id of the session named "shared" (`/bin/cat`, 80×16). */
  session: string;
  browser: Browser;
  /** Closes the browser, the owner and the hub, and removes the state directory. */
  close(): Promise<void>;
}

export async function startLanHub(prefix: string, firstLine: string): Promise<LanHub> {
  const stateDir = mkdtempSync(join(tmpdir(), prefix));
  const hub = createHub({ stateDir, logger: memoryLogger(), webUiDir: WEB_UI_DIR });
  let owner: HubClient | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    owner?.close();
    await hub.close();
    rmSync(stateDir, { recursive: true, force: true });
  };
  try {
    await hub.listen({ port: 0, writeHubFile: false, lan: { bind: '127.0.0.1', port: 0 } });
    owner = await hub.connect();
    const session = (await owner.createSession({ name: 'shared', command: '/bin/cat', cols: 80, rows: 16 }))
      .id;
    await owner.input(session, `${firstLine}\r`);
    await waitForScreen(owner, session, firstLine);
    const spki = spkiHash(readFileSync(join(stateDir, 'lan-cert.pem'), 'utf8'));
    browser = await chromium.launch(chromiumLaunchOptions({ spki }));
    return { stateDir, hub, owner, session, browser, close };
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}
