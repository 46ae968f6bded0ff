// One Transport for every client: WebSocket, Electron IPC, or a linked in-memory pair in tests.
/** Where the hub accepts WebSocket clients. */
export const WEBSOCKET_PATH = '/ws';

export interface Disposable {
  dispose(): void;
}

/** A bidirectional channel of text frames; a WebSocket also brings the hub's binary output frames. */
export interface Transport {
  send(frame: string): void;
  onMessage(listener: (frame: string) => void): Disposable;
  /** Binary frames from the hub (frames.ts); absent on transports that carry text only. */
  onBinary?(listener: (frame: Uint8Array) => void): Disposable;
  onClose(listener: (reason: string) => void): Disposable;
  close(): void;
}

/** The part of the standard WebSocket API that the browser's and the `ws` package's sockets share. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  removeEventListener(type: string, listener: (...args: never[]) => void): void;
}

class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): Disposable {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }
  fire(value: T): void {
    for (const listener of [...this.set]) listener(value);
  }
}

/**
 * Wraps an open WebSocket (browser or `ws`) as a Transport. Binary frames arrive as a `ws` Buffer or, in a
 * browser, as an ArrayBuffer (the socket's `binaryType` must be 'arraybuffer', not the default 'blob').
 */
export function webSocketTransport(socket: WebSocketLike): Transport {
  const messages = new Listeners<string>();
  const binary = new Listeners<Uint8Array>();
  const closes = new Listeners<string>();
  socket.addEventListener('message', (event) => {
    const data = event.data;
    if (typeof data === 'string') messages.fire(data);
    else if (data instanceof Uint8Array) binary.fire(data);
    else if (data instanceof ArrayBuffer) binary.fire(new Uint8Array(data));
  });
  socket.addEventListener('close', (event) => closes.fire(`${event.code} ${event.reason}`.trim()));
  return {
    send: (frame) => {
      if (socket.readyState === 1) socket.send(frame);
    },
    onMessage: (listener) => messages.add(listener),
    onBinary: (listener) => binary.add(listener),
    onClose: (listener) => closes.add(listener),
    close: () => socket.close(1000, 'client closed'),
  };
}

/** Two transports wired back to back, for in-process clients (Electron main, tests). */
export function linkedTransports(): [Transport, Transport] {
  const make = () => ({ messages: new Listeners<string>(), closes: new Listeners<string>(), open: true });
  const a = make();
  const b = make();
  const end = (self: ReturnType<typeof make>, peer: ReturnType<typeof make>): Transport => ({
    send: (frame) => {
      // Deliver asynchronously, as a real socket would, so re-entrancy bugs show up in tests.
      if (self.open) void Promise.resolve().then(() => peer.open && peer.messages.fire(frame));
    },
    onMessage: (listener) => self.messages.add(listener),
    onClose: (listener) => self.closes.add(listener),
    close: () => {
      if (!self.open) return;
      self.open = false;
      peer.open = false;
      self.closes.fire('closed');
      peer.closes.fire('peer closed');
    },
  });
  return [end(a, b), end(b, a)];
}
