// The hub's writer thread for client terminals (issue 12). A keystroke's echo goes into a terminal from the
// hub's main thread with one write(2); output a terminal does not take at once (a flood, a slow terminal)
// goes to this thread, which writes it as each terminal drains, on the machine's other core, while the main
// thread reads the session's pty and parses its screen. One thread serves every terminal: a terminal that
// stops reading holds up only its own queue.
import { Worker } from 'node:worker_threads';

/** What the main thread sends: bytes for terminals (one buffer shared by several), or a terminal to drop. */
export type WriterRequest =
  | { kind: 'write'; writes: Array<{ bytes: Uint8Array; terminals: Array<[id: number, fd: number]> }> }
  | { kind: 'close'; id: number };
/** What the thread answers: writes done (count and bytes, per terminal), a terminal let go or broken. */
export type WriterReply =
  | { kind: 'done'; done: Array<[id: number, writes: number, bytes: number]> }
  | { kind: 'closed'; id: number }
  | { kind: 'failed'; id: number; error: string };

/**
 * The thread's body. It runs from its source text (`eval`), so the same code works from dist/, from the
 * desktop bundle and under vitest: it may use nothing but Node's built-in modules and its own locals.
 */
function writerThread(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ReadStream } = require('node:tty') as typeof import('node:tty');
  const port = parentPort!;
  // A tty.ReadStream, never read from: a non-blocking socket on libuv's own copy of the terminal
  // (tty.WriteStream would write blocking, and one stalled terminal would stop them all).
  const streams = new Map<number, import('node:tty').ReadStream>();
  const finished = new Map<number, [writes: number, bytes: number]>();
  let reporting = false;
  const report = () => {
    reporting = false;
    const done = [...finished].map(([id, [writes, bytes]]) => [id, writes, bytes]);
    finished.clear();
    port.postMessage({ kind: 'done', done });
  };
  const streamFor = (id: number, fd: number) => {
    let stream = streams.get(id);
    if (stream) return stream;
    stream = new ReadStream(fd);
    stream.pause();
    stream.on('error', (error) => {
      if (!streams.has(id)) return;
      streams.delete(id);
      port.postMessage({ kind: 'failed', id, error: String(error) });
    });
    streams.set(id, stream);
    return stream;
  };
  port.on('message', (request: WriterRequest) => {
    if (request.kind === 'close') {
      streams.get(request.id)?.destroy();
      streams.delete(request.id);
      port.postMessage({ kind: 'closed', id: request.id });
      return;
    }
    for (const { bytes, terminals } of request.writes)
      for (const [id, fd] of terminals)
        streamFor(id, fd).write(bytes, (error) => {
          if (error || !streams.has(id)) return;
          const [writes, total] = finished.get(id) ?? [0, 0];
          finished.set(id, [writes + 1, total + bytes.length]);
          if (!reporting) setImmediate(report);
          reporting = true;
        });
  });
}

export interface WriterClient {
  /** Writes done: `writes` calls, `bytes` in all, in the order they were queued. */
  done(writes: number, bytes: number): void;
  /** The thread let go of the terminal (after `close`): its descriptor may be closed now. */
  letGo(): void;
  failed(error: string): void;
}

/** The main thread's end: queues writes, one message per turn for all of them, and routes the answers. */
export class TerminalWriter {
  private worker: Worker | undefined;
  private readonly clients = new Map<number, WriterClient>();
  private nextId = 1;
  private queued: Array<{ bytes: Uint8Array; id: number; fd: number }> = [];

  register(client: WriterClient): number {
    const id = this.nextId++;
    this.clients.set(id, client);
    return id;
  }

  /** Queues `bytes` for terminal `id`; sent with every other write of this turn, a shared buffer once. */
  write(id: number, fd: number, bytes: Uint8Array): void {
    if (this.queued.length === 0) queueMicrotask(() => this.flush());
    this.queued.push({ bytes, id, fd });
  }

  /** Lets go of terminal `id` (after what was queued for it); its client hears `closed` when done. */
  close(id: number): void {
    this.flush();
    this.thread().postMessage({ kind: 'close', id } satisfies WriterRequest);
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    const byBuffer = new Map<Uint8Array, Array<[number, number]>>();
    for (const { bytes, id, fd } of this.queued.splice(0)) {
      const terminals = byBuffer.get(bytes) ?? [];
      terminals.push([id, fd]);
      byBuffer.set(bytes, terminals);
    }
    const writes = [...byBuffer].map(([bytes, terminals]) => ({ bytes, terminals }));
    this.thread().postMessage({ kind: 'write', writes } satisfies WriterRequest);
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`(${writerThread.toString()})()`, { eval: true, name: 'terminal-writer' });
    // The hub's lifetime is its own: this thread never keeps the process alive.
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.answer(reply));
    worker.on('error', (error) => {
      // Not expected (the body catches stream errors); every terminal it served is let go.
      this.worker = undefined;
      for (const client of this.clients.values()) client.failed(String(error));
    });
    this.worker = worker;
    return worker;
  }

  private answer(reply: WriterReply): void {
    if (reply.kind === 'done') {
      for (const [id, writes, bytes] of reply.done) this.clients.get(id)?.done(writes, bytes);
      return;
    }
    const client = this.clients.get(reply.id);
    if (reply.kind === 'closed') {
      this.clients.delete(reply.id);
      client?.letGo();
    } else client?.failed(reply.error);
  }
}

/** The one writer thread of this process, started at the first write a terminal did not take at once. */
export const terminalWriter = new TerminalWriter();
