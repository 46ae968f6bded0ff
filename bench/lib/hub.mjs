// The hub under test: forked into its own process (hubProcess.mjs), typed into and watched over WebSocket
// either by HubClients (what the CLI uses) or by a minimal client, to tell the hub's cost from HubClient's.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { connectHub } from '../../dist/src-cli/connect.js';
import { WEBSOCKET_PATH } from '../../dist/src-hub/index.js';
import { Probe, waitUntil } from './probe.mjs';
import { ECHO_SCRIPT, SIZE } from './systems.mjs';

const REQUEST_TIMEOUT_MS = 10_000;

function nextMessage(child, type, timeoutMs) {
  return new Promise((resolve, reject) => {
    const done = (error, message) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message);
    };
    const onMessage = (message) => message?.type === type && done(undefined, message);
    const onExit = (code) => done(new Error(`The hub process exited (${code}) before "${type}".`));
    const timer = setTimeout(
      () => done(new Error(`No "${type}" from the hub process in ${timeoutMs} ms.`)),
      timeoutMs,
    );
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

/**
 * Forks the hub and connects the owner client that creates and ends sessions. Options (bench/budgets.mjs):
 * `claudeBinary` and `instrument` go to hubProcess.mjs; `exposeGc` lets `memory()` collect garbage first;
 * `nodeFlags` are more flags for the hub's Node (bench/attach.mjs profiles it with `--cpu-prof`); `script`
 * is another checkout's hubProcess.mjs (bench/attach.mjs's BENCH_BASELINE).
 */
export async function startHub({
  claudeBinary,
  instrument = false,
  exposeGc = false,
  nodeFlags = [],
  script = fileURLToPath(new URL('./hubProcess.mjs', import.meta.url)),
} = {}) {
  const options = claudeBinary || instrument ? [JSON.stringify({ claudeBinary, instrument })] : [];
  const child = fork(script, options, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv, ...(exposeGc ? ['--expose-gc'] : []), ...nodeFlags],
  });
  let owner;
  const ask = async (type) => {
    const reply = nextMessage(child, type, 10_000);
    child.send({ type });
    return reply;
  };
  const hub = {
    /** process.memoryUsage() of the hub process, after two full GCs when it was started with exposeGc. */
    memory: () => ask('memory'),
    /** What hubTimings.mjs recorded since the last call (null unless started with `instrument`). */
    timings: async () => (await ask('timings')).timings,
    async cpuSeconds() {
      const reply = nextMessage(child, 'usage', 5000);
      child.send({ type: 'usage' });
      const { cpu } = await reply;
      return (cpu.user + cpu.system) / 1e6;
    },
    async close() {
      owner?.close();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const closed = nextMessage(child, 'closed', 10_000);
      child.send({ type: 'close' });
      await closed.catch(() => child.kill('SIGKILL'));
    },
  };
  try {
    const { url, token, stateDir } = await nextMessage(child, 'ready', 15_000);
    owner = await connectHub({ url, token }, { autoAck: true, clientName: 'bench-owner' });
    return Object.assign(hub, { url, token, stateDir, owner });
  } catch (error) {
    await hub.close();
    throw error;
  }
}

/** A HubClient (validates every frame with zod; autoAck acks each output before listeners run). */
async function hubClientView(url, token) {
  const client = await connectHub({ url, token }, { autoAck: true, clientName: 'bench-hubclient' });
  return {
    input: (session, data) => client.input(session, data),
    attach: (session, mode) => client.attach(session, mode),
    onOutput: (listener) =>
      client.onMessage((message) => message.type === 'pty.output' && listener(message.session, message.data)),
    close: () => client.close(),
  };
}

/** The least a client must do: JSON.parse each frame, no validation; acks after its listener ran. */
async function minimalView(url, token) {
  const socket = new WebSocket(new URL(WEBSOCKET_PATH, url.replace(/^http/, 'ws')));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  const pending = new Map();
  const listeners = [];
  let nextId = 1;
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type === 'pty.output') {
      for (const listener of listeners) listener(message.session, message.data);
      socket.send(JSON.stringify({ type: 'pty.ack', session: message.session, chars: message.data.length }));
      return;
    }
    const reply = pending.get(message.replyTo);
    pending.delete(message.replyTo);
    if (message.type === 'error') reply?.reject(new Error(`${message.code}: ${message.message}`));
    else reply?.resolve(message);
  });
  const request = (message) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(
        () => pending.delete(id) && reject(new Error(`${message.type} timed out`)),
        REQUEST_TIMEOUT_MS,
      );
      const settle = (settler) => (value) => {
        clearTimeout(timer);
        settler(value);
      };
      pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
      socket.send(JSON.stringify({ ...message, id }));
    });
  await request({ type: 'auth', token, client: 'bench-minimal' });
  return {
    input: (session, data) => request({ type: 'pty.input', session, data }),
    attach: (session, mode) => request({ type: 'attach', session, mode }),
    onOutput: (listener) => listeners.push(listener),
    close: () => socket.close(),
  };
}

/**
 * A hub session running the echo program. observers = 0: one client attaches as driver, types and watches
 * its own echo. observers = N: one client types without attaching; N clients with an observer invite watch.
 * `client` is 'hubClient' or 'minimal'.
 */
export async function hubSystem(hub, { name, observers, client }) {
  const connect = client === 'minimal' ? minimalView : hubClientView;
  const session = await hub.owner.createSession({
    name,
    command: '/bin/sh',
    args: ['-c', ECHO_SCRIPT],
    ...SIZE,
  });
  const views = [];
  try {
    await waitUntil(async () => (await hub.owner.screen(session.id)).lines.join('\n').includes('READY'), {
      timeoutMs: 5000,
      what: 'the hub session to start',
    });
    const probe = new Probe(Math.max(1, observers));
    const typist = await connect(hub.url, hub.token);
    views.push(typist);
    const watch = (view, index) =>
      view.onOutput((sessionId, data) => sessionId === session.id && probe.feed(index, data));
    if (observers === 0) {
      watch(typist, 0);
      await typist.attach(session.id, 'drive');
    } else {
      const { token } = await hub.owner.createInvite('observer', { session: session.id });
      for (let index = 0; index < observers; index++) {
        const observer = await connect(hub.url, token);
        views.push(observer);
        watch(observer, index);
        await observer.attach(session.id, 'observe');
      }
    }
    const errors = [];
    return {
      id: client === 'minimal' ? 'hubMinimal' : 'hub',
      probe,
      errors,
      send: (char) => void typist.input(session.id, char).catch((error) => errors.push(String(error))),
      close: () => closeHubSession(hub, session.id, views),
    };
  } catch (error) {
    await closeHubSession(hub, session.id, views);
    throw error;
  }
}

async function closeHubSession(hub, sessionId, views) {
  for (const view of views) view.close();
  await hub.owner.kill(sessionId);
  await hub.owner.remove(sessionId);
}
