// Issue 12: `switchboard attach` hands its terminal to a local hub, which reads its keys and writes its
// output itself (as tmux's server does), so the attach process is off the echo's way. Real hub process,
// real CLI under real pseudo-terminals; and the refusals: only the owner, only over hub.sock, only a
// terminal of this user that is not the hub's own.
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as nodePty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHub, findHub } from '../src-cli/connect.js';
import { HubError, splitTerminalKeys, type HubClient } from '../src-protocol/index.js';
import { hubEnv, startHubProcess, type HubProcess } from './hubProcess.js';
import { waitUntil } from './helpers.js';

const ROOT = resolve(import.meta.dirname, '..');
const BIN = join(ROOT, 'bin', 'switchboard');

let home: string;
let hubProcess: HubProcess;
let owner: HubClient;
let sessionId: string;
const terminals: nodePty.IPty[] = [];

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'sb-terminal-'));
  hubProcess = await startHubProcess(home);
  owner = await connectHub(findHub(hubEnv(home)));
  sessionId = (await owner.createSession({ name: 'cat', command: '/bin/cat' })).id;
}, 60_000);

afterAll(async () => {
  for (const terminal of terminals) terminal.kill('SIGKILL');
  owner?.close();
  await hubProcess?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** A terminal running `command` (argv), with what it shows so far. */
function terminal(file: string, args: string[], extraEnv: Record<string, string> = {}) {
  const pty = nodePty.spawn(file, args, { cols: 100, rows: 30, cwd: ROOT, env: hubEnv(home, extraEnv) });
  terminals.push(pty);
  let text = '';
  pty.onData((data) => (text += data));
  let exitCode: number | undefined;
  pty.onExit(({ exitCode: code }) => (exitCode = code));
  return { pty, text: () => text, exitCode: () => exitCode, path: (pty as unknown as { _pty: string })._pty };
}

const attach = (...args: string[]) => terminal(process.execPath, [BIN, 'attach', ...args]);

/** The hub's `client.attached` log lines, newest last. */
function attachedLines(): { client: string; role: string; terminal?: string }[] {
  return readFileSync(join(home, 'hub.log'), 'utf8')
    .split('\n')
    .filter((line) => line.includes('"client.attached"'))
    .map((line) => JSON.parse(line) as { client: string; role: string; terminal?: string });
}

/** Polls an async condition every 50 ms until it holds, or fails after `timeoutMs`. */
async function eventually(predicate: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

const screenOf = async (id: string) => (await owner.screen(id)).lines.join('\n');
const screenText = async () => (await owner.screen(sessionId)).lines.join('\n');

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'attached',
    (error: unknown) => (error instanceof HubError ? error.code : String(error)),
  );

describe('the hub reads and writes an attached terminal (issue 12)', { timeout: 90_000 }, () => {
  it('driver and observer: keys in, output out, observers type nothing, Ctrl-] detaches', async () => {
    const before = attachedLines().length;
    const driver = attach('cat');
    const observer = attach('--observe', 'cat');
    await waitUntil(() => attachedLines().length >= before + 2, 20_000, 'both attaches');
    expect(
      attachedLines()
        .slice(before)
        .map((line) => line.terminal),
    ).toEqual(['direct', 'direct']);

    driver.pty.write('typed-by-driver');
    await waitUntil(() => observer.text().includes('typed-by-driver'), 10_000, 'the echo in the observer');
    await waitUntil(() => driver.text().includes('typed-by-driver'), 10_000, 'the echo in the driver');
    // The observer's keys never reach the session; its attach process read none of them either.
    observer.pty.write('from-observer');
    driver.pty.write('-marker');
    await eventually(async () => (await screenText()).includes('-marker'), 10_000, 'the marker');
    expect(await screenText()).not.toContain('from-observer');

    // Ctrl-]: the attach exits 0 and leaves the session running; the hub stops reading that terminal.
    driver.pty.write('\x1d');
    await waitUntil(() => driver.exitCode() !== undefined, 10_000, 'the driver to exit');
    expect(driver.exitCode()).toBe(0);
    expect(driver.text()).toContain('[switchboard] detached');
    observer.pty.write('\x03'); // an observer's Ctrl-C detaches it
    await waitUntil(() => observer.exitCode() !== undefined, 10_000, 'the observer to exit');
    expect(observer.exitCode()).toBe(0);
    await eventually(
      async () => (await owner.listSessions()).find((s) => s.id === sessionId)?.clients === 0,
      10_000,
      'no client left',
    );
  });

  it('gives the terminal back as it was: keys after the detach are the shell’s, cooked mode again', async () => {
    const before = attachedLines().length;
    const quoted = [process.execPath, BIN].map((word) => `'${word}'`).join(' ');
    const shell = terminal('/bin/sh', [
      '-c',
      `${quoted} attach cat; stty -a; read line; echo "shell-read:$line"`,
    ]);
    await waitUntil(() => shell.text().includes('\x1b[2J'), 20_000, 'the snapshot');
    await waitUntil(() => attachedLines().length > before, 10_000, 'the attach in the log');
    expect(attachedLines().at(-1)!.terminal).toBe('direct');
    shell.pty.write('\x1d');
    await waitUntil(() => /\bicanon\b/.test(shell.text()), 10_000, 'stty -a after the detach');
    expect(shell.text()).not.toMatch(/-icanon/);
    expect(shell.text()).toMatch(/(^|\s)echo(\s|$)/m);
    shell.pty.write('after\r');
    await waitUntil(() => shell.text().includes('shell-read:after'), 10_000, 'the shell to read its line');
    expect(await screenText()).not.toContain('after');
  });

  it('the end of the output reaches the terminal before the session-ended line, even when it had to wait', async () => {
    const ending = await owner.createSession({
      name: 'ending',
      command: '/bin/sh',
      args: ['-c', 'read x; seq 1 5000; echo LAST-LINE; sleep 1'],
    });
    const before = attachedLines().length;
    // In a shell that stays, as in a terminal window: the attach exiting does not hang the terminal up.
    const quoted = [process.execPath, BIN].map((word) => `'${word}'`).join(' ');
    const view = terminal('/bin/sh', ['-c', `${quoted} attach ending; sleep 30`]);
    await waitUntil(() => attachedLines().length > before, 20_000, 'the attach');
    expect(attachedLines().at(-1)!.terminal).toBe('direct');
    // The terminal stops being read: the hub's writes wait in its queue, and the exit notice behind them.
    view.pty.pause();
    await owner.input(ending.id, '\r');
    await eventually(
      async () => (await owner.listSessions()).find((s) => s.id === ending.id)?.status === 'ended',
      20_000,
      'the session to end',
    );
    view.pty.resume();
    await waitUntil(() => view.text().includes('session ended'), 20_000, 'the session-ended line');
    expect(view.text()).toContain('LAST-LINE');
    expect(view.text().indexOf('LAST-LINE')).toBeLessThan(view.text().indexOf('session ended'));
  });

  it('--relay keeps the old path: this process reads the keys and writes the output', async () => {
    const before = attachedLines().length;
    const relay = attach('--relay', 'cat');
    await waitUntil(() => attachedLines().length > before, 20_000, 'the attach');
    expect(attachedLines().at(-1)!.terminal).toBeUndefined();
    relay.pty.write('through-relay');
    await waitUntil(() => relay.text().includes('through-relay'), 10_000, 'the echo');
    relay.pty.write('\x1d');
    await waitUntil(() => relay.exitCode() !== undefined, 10_000, 'the exit');
    expect(relay.exitCode()).toBe(0);
  });
});

describe('who may hand the hub a terminal (issue 12)', { timeout: 60_000 }, () => {
  it('the owner over hub.sock: the hub writes the screen into it and answers `direct`', async () => {
    const idle = terminal('/bin/sh', ['-c', 'stty raw -echo; sleep 60']);
    const client = await connectHub(findHub(hubEnv(home)));
    try {
      await owner.input(sessionId, 'screen-marker');
      const snapshot = await client.attach(sessionId, 'observe', { terminal: idle.path });
      expect(snapshot).toMatchObject({ terminal: 'direct', data: '' });
      await waitUntil(() => idle.text().includes('screen-marker'), 10_000, 'the screen in the terminal');
    } finally {
      client.close();
    }
  });

  it('lets go of the terminal at every detach, and when the attach is killed: no descriptor left behind', async () => {
    const hubPid = hubProcess.child.pid!;
    const descriptors = () => readdirSync(`/proc/${hubPid}/fd`).length;
    const idle = terminal('/bin/sh', ['-c', 'stty raw -echo; sleep 60']);
    const client = await connectHub(findHub(hubEnv(home)));
    try {
      const before = descriptors();
      for (let round = 0; round < 5; round++) {
        expect(await client.attach(sessionId, 'observe', { terminal: idle.path })).toMatchObject({
          terminal: 'direct',
        });
        await client.detach(sessionId);
      }
      // At most as many as before (a session of an earlier test may close its pty meanwhile): none leaked.
      expect(descriptors()).toBeLessThanOrEqual(before);
      // A real attach process, killed outright: its connection closes, and the hub lets go of its terminal.
      const count = attachedLines().length;
      const beforeKill = descriptors();
      const killed = attach('--observe', 'cat');
      await waitUntil(() => attachedLines().length > count, 20_000, 'the attach');
      expect(descriptors()).toBeGreaterThan(beforeKill); // its connection and its terminal
      killed.pty.kill('SIGKILL');
      await waitUntil(() => descriptors() <= beforeKill, 20_000, 'the descriptors to go').catch(() => {
        const open = readdirSync(`/proc/${hubPid}/fd`).map((fd) => {
          try {
            return readlinkSync(`/proc/${hubPid}/fd/${fd}`);
          } catch {
            return '?';
          }
        });
        throw new Error(
          `the hub still holds ${open.length} descriptors (${beforeKill} before): ${open.join(' ')}`,
        );
      });
    } finally {
      client.close();
    }
  });

  it('refuses the terminal of the session being attached (it would feed itself), and attach inside itself', async () => {
    const inner = await owner.createSession({
      name: 'inner',
      command: '/bin/sh',
      args: ['-c', 'echo "tty=$(readlink /proc/self/fd/0)"; sleep 60'],
    });
    let path = '';
    await eventually(
      async () => {
        path = /tty=(\/dev\/pts\/\d+)/.exec(await screenOf(inner.id))?.[1] ?? '';
        return path !== '';
      },
      10_000,
      'the session to print its terminal',
    );
    const local = await connectHub(findHub(hubEnv(home)));
    try {
      const refusal = await local
        .attach(inner.id, 'observe', { terminal: path })
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(HubError);
      expect((refusal as HubError).code).toBe('invalid_message');
      expect((refusal as HubError).message).toContain('is the terminal session "inner" runs in');
    } finally {
      local.close();
    }
    // The CLI says so before it asks: run from inside the session (its SWITCHBOARD_SESSION_ID).
    const inside = terminal(process.execPath, [BIN, 'attach', 'inner'], { SWITCHBOARD_SESSION_ID: inner.id });
    await waitUntil(() => inside.exitCode() !== undefined, 20_000, 'the nested attach to exit');
    expect(inside.exitCode()).toBe(1);
    expect(inside.text()).toContain('This terminal is session "inner" itself');
  });

  it('refuses bad paths, other listeners and invitees with coded errors; the connection stays usable', async () => {
    const idle = terminal('/bin/sh', ['-c', 'sleep 60']);
    const local = await connectHub(findHub(hubEnv(home)));
    const overTcp = await connectHub({ url: hubProcess.url, token: findHub(hubEnv(home)).token });
    const { token } = await owner.createInvite('driver', { session: sessionId });
    const invitee = await connectHub({ ...findHub(hubEnv(home)), token });
    try {
      for (const path of ['/dev/pts/9999999', '/dev/tty', '/etc/passwd', '/dev/pts/../null', '/dev/null'])
        expect(await codeOf(local.attach(sessionId, 'observe', { terminal: path })), path).toBe(
          'invalid_message',
        );
      expect(await codeOf(overTcp.attach(sessionId, 'observe', { terminal: idle.path }))).toBe('not_allowed');
      expect(await codeOf(invitee.attach(sessionId, 'drive', { terminal: idle.path }))).toBe('not_allowed');
      // Nothing was taken: the terminal saw no screen; every connection still works.
      expect(idle.text()).toBe('');
      for (const client of [local, overTcp, invitee])
        expect((await client.listSessions()).map((s) => s.id)).toContain(sessionId);
      expect(await codeOf(invitee.attach(sessionId, 'drive'))).toBe('attached');
    } finally {
      for (const client of [local, overTcp, invitee]) client.close();
    }
  });

  it("the hub's own controlling terminal is never taken: the attach gets `relay` and the reason", async () => {
    // A process whose controlling terminal is this pty asks for it, as a hub started in that terminal would.
    const probe = terminal(process.execPath, [
      '-e',
      `import(${JSON.stringify(join(ROOT, 'dist/src-hub/attach/clientTerminal.js'))}).then((m) => {
         const opened = m.openClientTerminal(require('node:fs').readlinkSync('/proc/self/fd/0'));
         console.log('RESULT=' + JSON.stringify('relay' in opened ? opened : { terminal: true }));
         if ('terminal' in opened) opened.terminal.close();
       })`,
    ]);
    await waitUntil(() => /RESULT=.*\r?\n/.test(probe.text()), 20_000, 'the probe');
    expect(probe.text()).toMatch(/RESULT=\{"relay":"\/dev\/pts\/\d+ is the hub's own terminal"\}/);
  });
});

describe('the keys the hub reads in a terminal it took', () => {
  it('types what comes before Ctrl-], never what follows; Ctrl-^ is the lease key', () => {
    expect(splitTerminalKeys('abc\x1ddef', false)).toEqual({ typed: 'abc', lease: false, detach: true });
    expect(splitTerminalKeys('a\x1eb', false)).toEqual({ typed: 'ab', lease: true, detach: false });
    expect(splitTerminalKeys('x\x1d\x1e', false)).toEqual({ typed: 'x', lease: false, detach: true });
    expect(splitTerminalKeys('plain', false)).toEqual({ typed: 'plain', lease: false, detach: false });
  });

  it('an observer types nothing; Ctrl-] or Ctrl-C detaches it', () => {
    expect(splitTerminalKeys('abc', true)).toEqual({ typed: '', lease: false, detach: false });
    expect(splitTerminalKeys('a\x03', true)).toEqual({ typed: '', lease: false, detach: true });
    expect(splitTerminalKeys('\x1d', true)).toEqual({ typed: '', lease: false, detach: true });
  });
});
