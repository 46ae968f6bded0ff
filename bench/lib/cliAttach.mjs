// The hub as a person uses it: real `bin/switchboard attach` processes under node-pty, one driving and the
// rest `--observe`, finding the hub through hub.json in its state directory (bench/attach.mjs).
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import * as nodePty from 'node-pty';
import { sleep, waitUntil } from './probe.mjs';
import { ECHO_SCRIPT, SIZE } from './systems.mjs';

/** Attach clients started at once, then awaited. */
const ATTACH_BATCH = 8;
const CLI = fileURLToPath(new URL('../../bin/switchboard', import.meta.url));

/** The CLI's environment: the hub's state directory, and nothing that would point it elsewhere. */
function cliEnvironment(stateDir) {
  const env = { ...process.env, TERM: 'xterm-256color', SWITCHBOARD_HOME: stateDir };
  for (const name of ['TMUX', 'TMUX_PANE', 'SWITCHBOARD_TOKEN', 'SWITCHBOARD_URL']) delete env[name];
  return env;
}

async function killPty(child) {
  const exited = new Promise((resolve) => child.onExit(resolve));
  try {
    child.kill();
  } catch {
    return;
  }
  await Promise.race([exited, sleep(3000)]);
}

/**
 * A hub session running `command` (the echo program by default) with `1 + observers` attach clients; each
 * client's output goes to `probe.feed(index, data)` (index 0 drives). `nodeFlags(index)` are flags for that
 * client's Node (`--cpu-prof …`); `cli` another checkout's bin/switchboard, then `id` tells it apart. Resolves once every client showed the screen (READY) and nothing arrived for 300 ms.
 */
export async function cliSystem(
  hub,
  { name, observers, cwd, probe, command = ECHO_SCRIPT, nodeFlags = () => [], cli = CLI, id = 'cli' },
) {
  const session = await hub.owner.createSession({ name, command: '/bin/sh', args: ['-c', command], ...SIZE });
  const ptys = [];
  const close = async () => {
    await Promise.all(ptys.map(killPty));
    await hub.owner.kill(session.id).catch(() => undefined);
    await hub.owner.remove(session.id).catch(() => undefined);
  };
  try {
    await waitUntil(async () => (await hub.owner.screen(session.id)).lines.join('\n').includes('READY'), {
      timeoutMs: 5000,
      what: `hub session ${name} to start`,
    });
    let lastOutput = performance.now();
    const screens = [];
    // In batches: the hub admits 16 connections per address waiting to authenticate (limits.ts).
    for (let index = 0; index <= observers; index++) {
      const args = [
        ...nodeFlags(index),
        cli,
        'attach',
        session.id,
        ...(index === 0 ? [] : ['--observe']),
        // BENCH_RELAY=1: the attach processes relay (`--relay`) instead of handing the hub their terminals.
        ...(process.env.BENCH_RELAY === '1' ? ['--relay'] : []),
      ];
      const child = nodePty.spawn(process.execPath, args, {
        name: 'xterm-256color',
        ...SIZE,
        cwd,
        env: cliEnvironment(hub.stateDir),
      });
      ptys.push(child);
      screens.push('');
      child.onData((data) => {
        lastOutput = performance.now();
        if (screens[index] !== undefined && screens[index].length < 1e5) screens[index] += data;
        probe.feed(index, data);
      });
      if (index % ATTACH_BATCH === ATTACH_BATCH - 1 || index === observers) {
        await waitUntil(() => screens.every((screen) => screen.includes('READY')), {
          timeoutMs: 30_000,
          intervalMs: 50,
          what: `switchboard attach clients ${index + 1 - ATTACH_BATCH}-${index} to show the session`,
        }).catch((error) => {
          const failed = screens.findIndex((screen) => !screen.includes('READY'));
          throw new Error(`${error.message} Client ${failed} printed: ${JSON.stringify(screens[failed])}`);
        });
      }
    }
    screens.fill(undefined);
    await waitUntil(() => performance.now() - lastOutput > 300, {
      timeoutMs: 30_000,
      what: 'attach clients to settle',
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    id,
    probe,
    pids: ptys.map((child) => child.pid),
    send: (char) => ptys[0].write(char),
    close,
  };
}
