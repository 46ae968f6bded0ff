// Headless Debian Chromium for the UI bench and the browser e2e journeys: its path and launch flags, in
// one place (e2e/harness.ts and bench/ui.mjs both launch it with playwright-core).

/** The browser binary: SWITCHBOARD_CHROMIUM, else Debian's package. */
export const CHROMIUM = process.env.SWITCHBOARD_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless, without a sandbox (containers have no user namespaces for it) or a GPU, and with nothing that
 * calls out beyond 127.0.0.1 (QUIC, background networking, component updates, sync).
 */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/**
 * Options for playwright-core's `chromium.launch`; every launch gets a fresh temporary profile. `spki` pins
 * a self-signed certificate's key (the hub's LAN listener), as an invitee does at the certificate warning;
 * `executablePath` runs another launcher (one that enters a network namespace first).
 */
export function chromiumLaunchOptions({ spki, executablePath = CHROMIUM } = {}) {
  const pinned = spki ? [`--ignore-certificate-errors-spki-list=${spki}`] : [];
  return { executablePath, headless: true, args: [...CHROMIUM_ARGS, ...pinned] };
}
