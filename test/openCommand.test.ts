// `switchboard open`: prints a one-time web UI login link (never the owner token) that logs a browser in once.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserOpener } from '../src-cli/openCommand.js';
import { startTestHub, type TestHub } from './helpers.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'switchboard');
let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

function cli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('switchboard open', () => {
  it('prints a single-use login link on the hub origin, without the owner token', async () => {
    hub = await startTestHub();
    const env = {
      ...process.env,
      SWITCHBOARD_URL: hub.url,
      SWITCHBOARD_TOKEN: hub.hub.ownerToken,
      DISPLAY: '',
    };
    const text = await cli(['open', '--no-browser'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${hub.url}/ui/#login=sbl_`);
    expect(text.stdout).toContain('works once');
    expect(text.stdout).not.toContain(hub.hub.ownerToken);

    const json = await cli(['open', '--json'], env);
    const { url } = JSON.parse(json.stdout) as { url: string };
    const secret = new URL(url).hash.replace('#login=', '');
    const login = (value: string) =>
      fetch(`${hub!.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: hub!.url },
        body: JSON.stringify({ secret: value }),
      });
    expect((await login(secret)).status).toBe(200);
    expect((await login(secret)).status).toBe(401);
  });

  it('opens a browser only where there is a desktop to show it', () => {
    expect(browserOpener({}, 'linux')).toBeUndefined();
    expect(browserOpener({ DISPLAY: ':0' }, 'linux')).toEqual(['xdg-open']);
    expect(browserOpener({}, 'darwin')).toEqual(['open']);
  });
});
