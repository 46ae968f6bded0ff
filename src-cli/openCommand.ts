// `switchboard open`: a one-time login link for the web UI, printed and opened where a browser exists.
// The link carries a single-use ticket valid for a minute, never the owner token.
import { spawn } from 'node:child_process';
import type { HubClient } from '../src-protocol/index.js';

/** A desktop session to show a browser in: macOS, Windows, or Linux with a display. */
export function browserOpener(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string[] | undefined {
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return ['cmd', '/c', 'start', '""'];
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return ['xdg-open'];
  return undefined;
}

export function openInBrowser(url: string): boolean {
  const opener = browserOpener();
  if (!opener) return false;
  const [command, ...args] = opener;
  try {
    const child = spawn(command!, [...args, url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined); // no opener installed: the printed link is enough
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export function loginMessage(url: string, expiresAt: string, opened: boolean): string {
  return (
    `${url}\n\nA one-time login link for the web UI: it works once, until ${expiresAt}.\n` +
    (opened ? 'Opened it in your browser.\n' : 'Open it in a browser on this machine.\n')
  );
}

export async function runOpen(
  client: HubClient,
  hubUrl: string,
  options: { browser: boolean; json?: boolean },
): Promise<void> {
  const created = await client.expect('login.created', { type: 'login.create' });
  const url = new URL(created.path, hubUrl).toString();
  const opened = options.browser && !options.json && openInBrowser(url);
  if (options.json) process.stdout.write(JSON.stringify({ url, expiresAt: created.expiresAt }) + '\n');
  else process.stdout.write(loginMessage(url, created.expiresAt, opened));
}
