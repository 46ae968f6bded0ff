// A plain WebSocket client of the hub for bench/budgets.mjs: JSON.parse and nothing else, with the time each
// frame arrived (before it is parsed), so a figure can leave out the client's own work. Acks every output
// frame after its listeners ran, like the minimal client of hub.mjs.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WEBSOCKET_PATH } from '../../dist/src-hub/index.js';

const TIMEOUT_MS = 10_000;

export async function rawClient(url, token, name) {
  const socket = new WebSocket(new URL(WEBSOCKET_PATH, url.replace(/^http/, 'ws')));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: no connection in ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
    socket.once('open', () => {
      clearTimeout(timer);
      resolve();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
  const pending = new Map();
  const listeners = [];
  let nextId = 1;
  socket.on('message', (data) => {
    const receivedAt = performance.now();
    const message = JSON.parse(data.toString());
    for (const listener of listeners) listener(message, receivedAt);
    if (message.type === 'pty.output') {
      socket.send(JSON.stringify({ type: 'pty.ack', session: message.session, chars: message.data.length }));
    }
    const reply = pending.get(message.replyTo);
    if (!reply) return;
    pending.delete(message.replyTo);
    clearTimeout(reply.timer);
    if (message.type === 'error') reply.reject(new Error(`${message.code}: ${message.message}`));
    else reply.resolve({ message, sentAt: reply.sentAt, receivedAt, parsedAt: performance.now() });
  });

  /** Sends a request; resolves with the reply, when it was sent and when its frame arrived. */
  const request = (message) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${name}: ${message.type} timed out`));
      }, TIMEOUT_MS);
      const sentAt = performance.now();
      pending.set(id, { resolve, reject, timer, sentAt });
      socket.send(JSON.stringify({ ...message, id }));
    });

  await request({ type: 'auth', token, client: name });
  return {
    request,
    /** `listener(message, receivedAt)` for every frame, replies included. */
    onMessage: (listener) => listeners.push(listener),
    close: () => {
      for (const { timer } of pending.values()) clearTimeout(timer);
      pending.clear();
      socket.terminate();
    },
  };
}
