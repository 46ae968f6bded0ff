// One output frame written to every client as the same bytes (issue 12). `ws.send` frames each message
// for each socket (a header, a cork, a two-buffer writev); a keystroke's echo to N clients is one frame,
// so the hub builds the whole WebSocket frame once and writes that one Buffer to each client's socket.
import type { Duplex } from 'node:stream';
import type { WebSocket } from 'ws';

export const OPCODE_TEXT = 1;
export const OPCODE_BINARY = 2;

/** A complete, final, unmasked WebSocket frame around `payload`, as a server sends it (RFC 6455 §5.2). */
export function serverFrame(opcode: typeof OPCODE_TEXT | typeof OPCODE_BINARY, payload: Uint8Array): Buffer {
  const length = payload.length;
  const headerBytes = length < 126 ? 2 : length < 0x10000 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerBytes + length);
  frame[0] = 0x80 | opcode; // FIN, no extension bits (the hub never negotiates permessage-deflate)
  if (length < 126) frame[1] = length;
  else if (length < 0x10000) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 0x1_0000_0000), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.set(payload, headerBytes);
  return frame;
}

/**
 * Writes a frame built by `serverFrame` straight to the socket under `ws`, in order with what `ws` sent
 * before (its sender writes synchronously: the hub sends no Blobs and compresses nothing, so it never
 * holds messages back). `ws.bufferedAmount` counts these bytes, so backpressure works as for `ws.send`.
 */
export function writeFrame(ws: WebSocket, socket: Duplex, frame: Uint8Array): void {
  if (ws.readyState === ws.OPEN) socket.write(frame);
}
