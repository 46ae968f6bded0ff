// A raw WebSocket client for tests that speak to the hub as a stranger would: any headers, any frames.
import WebSocket from 'ws';
import { waitUntil } from './helpers.js';

/** Opens a WebSocket; resolves with the refusal's status and body, or the open socket. */
export function openSocket(url: string, options: WebSocket.ClientOptions = {}) {
  return new Promise<{ status: number; body: string } | { socket: WebSocket }>((resolve, reject) => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/ws`, options);
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    socket.once('error', reject);
  });
}

export function chat(socket: WebSocket) {
  const replies: Array<Record<string, unknown>> = [];
  let closeCode: number | undefined;
  socket.on('message', (data: Buffer) =>
    replies.push(JSON.parse(data.toString()) as Record<string, unknown>),
  );
  socket.on('close', (code) => (closeCode = code));
  socket.on('error', () => undefined);
  return {
    replies,
    get closeCode() {
      return closeCode;
    },
    send: (frame: unknown) => socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    reply: async (id: number | string) => {
      await waitUntil(() => replies.some((reply) => reply.replyTo === id), 5000, `reply ${id}`);
      return replies.find((reply) => reply.replyTo === id)!;
    },
    closed: () => waitUntil(() => closeCode !== undefined, 5000, 'close'),
  };
}
