// The floor and the reference: a bare node-pty and tmux (private socket, clients attached under node-pty),
// each typed into one character at a time and read back through its views. The hub is in hub.mjs.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import * as nodePty from 'node-pty';
import { Probe, sleep, waitUntil } from './probe.mjs';

const execFileAsync = promisify(execFile);

/** The program every system runs: raw mode, so the program itself echoes each byte, as Claude Code does. */
export const ECHO_SCRIPT = 'stty raw -echo && printf READY && exec cat';
export const SIZE = { cols: 120, rows: 32 };

function cleanEnvironment() {
  const env = { ...process.env, TERM: 'xterm-256color' };
  for (const name of ['TMUX', 'TMUX_PANE', 'SWITCHBOARD_TOKEN', 'SWITCHBOARD_URL']) delete env[name];
  return env;
}

function spawnPty(file, args, cwd) {
  return nodePty.spawn(file, args, { name: 'xterm-256color', ...SIZE, cwd, env: cleanEnvironment() });
}

/** Kills a node-pty child and waits (bounded) for it to exit. */
async function killPty(child) {
  const exited = new Promise((resolve) => child.onExit(resolve));
  try {
    child.kill();
  } catch {
    return; // already gone
  }
  await Promise.race([exited, sleep(2000)]);
}

// ---- bare node-pty: the floor --------------------------------------------------------------------------

export async function bareSystem(cwd) {
  const child = spawnPty('/bin/sh', ['-c', ECHO_SCRIPT], cwd);
  const probe = new Probe(1);
  let startup = '';
  child.onData((data) => {
    if (startup !== undefined) startup += data;
    probe.feed(0, data);
  });
  try {
    await waitUntil(() => startup.includes('READY'), { timeoutMs: 5000, what: 'the bare echo program' });
  } catch (error) {
    await killPty(child);
    throw error;
  }
  startup = undefined;
  return { id: 'bare', probe, send: (char) => child.write(char), close: () => killPty(child) };
}

// ---- tmux ----------------------------------------------------------------------------------------------

/** A tmux server on a private socket with no configuration file and no status line; undefined without tmux. */
export async function startTmux(directory) {
  const socket = join(directory, 'tmux.sock');
  const env = cleanEnvironment();
  const tmux = (...args) =>
    execFileAsync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { env, timeout: 10_000 });
  let version;
  try {
    version = (await execFileAsync('tmux', ['-V'], { timeout: 5000 })).stdout.trim();
  } catch {
    return undefined;
  }
  const clockTicks = Number((await execFileAsync('getconf', ['CLK_TCK'])).stdout.trim()) || 100;
  let pid;
  return {
    version,
    socket,
    tmux,
    /** A session running `command` (a shell command; default the echo program), once it shows READY. */
    async newSession(name, command = ECHO_SCRIPT) {
      await tmux('new-session', '-d', '-s', name, '-x', String(SIZE.cols), '-y', String(SIZE.rows), command);
      await tmux('set-option', '-g', 'status', 'off');
      // The server exits with its last session, so each phase may have a new one.
      pid = Number((await tmux('display-message', '-p', '#{pid}')).stdout.trim());
      await waitUntil(async () => (await tmux('capture-pane', '-p', '-t', name)).stdout.includes('READY'), {
        timeoutMs: 5000,
        what: `tmux session ${name} to start`,
      });
    },
    /** CPU seconds (user + system) the tmux server used so far, at clock-tick resolution. */
    cpuSeconds() {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / clockTicks;
    },
    async close() {
      await tmux('kill-server').catch(() => undefined);
    },
  };
}

/**
 * `clients` tmux clients attached under node-pty: the first one types (read-write), the rest are `-r`.
 * `command` replaces the echo program (it must print READY too); each client's output goes to
 * `probe.feed(index, data)`, a keystroke Probe by default.
 */
export async function tmuxSystem(server, name, clients, cwd, { command, probe = new Probe(clients) } = {}) {
  await server.newSession(name, command);
  const ptys = [];
  const close = async () => {
    await Promise.all(ptys.map(killPty));
    await server.tmux('kill-session', '-t', name).catch(() => undefined);
  };
  let lastOutput = performance.now();
  try {
    for (let index = 0; index < clients; index++) {
      const readOnly = index === 0 ? [] : ['-r'];
      const child = spawnPty('tmux', ['-S', server.socket, 'attach-session', '-t', name, ...readOnly], cwd);
      ptys.push(child);
      child.onData((data) => {
        lastOutput = performance.now();
        probe.feed(index, data);
      });
    }
    const attached = async () =>
      (await server.tmux('list-clients', '-t', name)).stdout.trim().split('\n').length;
    await waitUntil(async () => (await attached()) === clients, {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: `${clients} tmux clients to attach`,
    });
    // Every client has had its first full redraw: nothing has arrived for a while.
    await waitUntil(() => performance.now() - lastOutput > 300, {
      timeoutMs: 30_000,
      what: 'tmux clients to settle',
    });
  } catch (error) {
    await close();
    throw error;
  }
  return { id: 'tmux', probe, send: (char) => ptys[0].write(char), close };
}
