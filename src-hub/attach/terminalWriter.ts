// The hub's writer thread for client terminals (issue 12). A keystroke's echo goes into a terminal from the
// hub's main thread with one write(2); output a terminal does not take at once (a flood, a slow terminal)
// goes to this thread, which writes it as each terminal drains, on the machine's other core, while the main
// thread reads the session's pty and parses its screen. One thread serves every terminal: a terminal that
// stops reading holds up only its own queue, and one that hangs up fails alone.
import { closeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * What the main thread sends: writes in the order they were made, each naming its buffer by index (a
 * buffer several terminals share is sent once), or a terminal to let go.
 */
export type WriterRequest =
  | { kind: 'write'; buffers: Uint8Array[]; writes: Array<[buffer: number, id: number, fd: number]> }
  | { kind: 'close'; id: number };
/** What the thread answers: writes done (count and bytes, per terminal), a terminal let go or broken. */
export type WriterReply =
  | { kind: 'done'; done: Array<[id: number, writes: number, bytes: number]> }
  | { kind: 'opened'; id: number; fd: number }
  | { kind: 'closed'; id: number }
  | { kind: 'failed'; id: number; error: string };

/** Queued writes as one request: every write in its place, each distinct buffer once. */
export function writeRequest(queued: ReadonlyArray<{ bytes: Uint8Array; id: number; fd: number }>) {
  const index = new Map<Uint8Array, number>();
  const buffers: Uint8Array[] = [];
  const writes: Array<[number, number, number]> = [];
  for (const { bytes, id, fd } of queued) {
    let at = index.get(bytes);
    if (at === undefined) index.set(bytes, (at = buffers.push(bytes) - 1));
    writes.push([at, id, fd]);
  }
  return { kind: 'write', buffers, writes } satisfies WriterRequest;
}

/**
 * The thread's body. It runs from its source text (`eval`), so the same code works from dist/, from the
 * desktop bundle and under vitest: it may use nothing but Node's built-in modules and its own locals.
 * It opens its own descriptor of each terminal (through /proc/self/fd, while the main thread still holds
 * its one open: it closes that only once this thread has answered `closed`), and closes it itself.
 */
function writerThread(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ReadStream } = require('node:tty') as typeof import('node:tty');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('node:fs') as typeof import('node:fs');
  const port = parentPort!;
  // A tty.ReadStream, never read from: a non-blocking socket on libuv's own copy of the terminal
  // (tty.WriteStream would write blocking, and one stalled terminal would stop them all).
  const streams = new Map<number, { stream: import('node:tty').ReadStream; fd: number }>();
  /** Terminals that failed here: their writes are dropped until the main thread lets them go. */
  const failed = new Set<number>();
  const finished = new Map<number, [writes: number, bytes: number]>();
  let reporting = false;
  const report = () => {
    reporting = false;
    const done = [...finished].map(([id, [writes, bytes]]) => [id, writes, bytes]);
    finished.clear();
    port.postMessage({ kind: 'done', done });
  };
  const fail = (id: number, error: unknown) => {
    if (failed.has(id)) return;
    failed.add(id);
    drop(id);
    port.postMessage({ kind: 'failed', id, error: String(error) });
  };
  const drop = (id: number) => {
    const entry = streams.get(id);
    streams.delete(id);
    if (!entry) return;
    entry.stream.destroy();
    try {
      fs.closeSync(entry.fd);
    } catch {
      // already closed
    }
  };
  const streamFor = (id: number, mainFd: number) => {
    const entry = streams.get(id);
    if (entry) return entry.stream;
    let fd: number | undefined;
    try {
      const flags = fs.constants.O_WRONLY | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK;
      fd = fs.openSync(`/proc/self/fd/${mainFd}`, flags);
      const stream = new ReadStream(fd);
      stream.pause();
      stream.on('error', (error) => fail(id, error));
      streams.set(id, { stream, fd });
      port.postMessage({ kind: 'opened', id, fd });
      return stream;
    } catch (error) {
      // A terminal that hung up before this thread took it is no tty any more (ERR_TTY_INIT_FAILED).
      if (fd !== undefined) fs.closeSync(fd);
      fail(id, error);
      return undefined;
    }
  };
  port.on('message', (request: WriterRequest) => {
    if (request.kind === 'close') {
      drop(request.id);
      failed.delete(request.id);
      port.postMessage({ kind: 'closed', id: request.id });
      return;
    }
    for (const [at, id, mainFd] of request.writes) {
      if (failed.has(id)) continue;
      const bytes = request.buffers[at]!;
      streamFor(id, mainFd)?.write(bytes, (error) => {
        if (error || !streams.has(id)) return;
        const [writes, total] = finished.get(id) ?? [0, 0];
        finished.set(id, [writes + 1, total + bytes.length]);
        if (!reporting) setImmediate(report);
        reporting = true;
      });
    }
  });
}

export interface WriterClient {
  /** Writes done: `writes` calls, `bytes` in all, in the order they were queued. */
  done(writes: number, bytes: number): void;
  /** The thread has let go of the terminal (after `close`): nothing more reaches it from the hub. */
  letGo(): void;
  failed(error: string): void;
}

/** The main thread's end: queues writes, one message per turn for all of them, and routes the answers. */
export class TerminalWriter {
  private worker: Worker | undefined;
  private readonly clients = new Map<number, WriterClient>();
  /** Terminals the thread has been given writes for. */
  private readonly inThread = new Set<number>();
  /** The descriptors the thread opened, by terminal: closed here if the thread dies without closing them. */
  private readonly threadFds = new Map<number, number>();
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
    this.inThread.add(id);
  }

  /** Lets go of terminal `id` (after what was queued for it); its client hears `letGo` when done. */
  close(id: number): void {
    this.flush();
    if (!this.worker || !this.inThread.has(id)) {
      // The thread never had it, or is gone (it crashed) and its copies with it.
      const client = this.clients.get(id);
      this.clients.delete(id);
      this.inThread.delete(id);
      return client?.letGo();
    }
    this.worker.postMessage({ kind: 'close', id } satisfies WriterRequest);
  }

  private flush(): void {
    if (this.queued.length === 0) return;
    this.thread().postMessage(writeRequest(this.queued.splice(0)));
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(`(${writerThread.toString()})()`, { eval: true, name: 'terminal-writer' });
    // The hub's lifetime is its own: this thread never keeps the process alive.
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.answer(reply));
    worker.on('error', (error) => this.lost(worker, String(error)));
    worker.on('exit', (code) => this.lost(worker, `the writer thread exited (${code})`));
    this.worker = worker;
    return worker;
  }

  /**
   * The thread died (not expected: its body catches what a terminal throws). Every terminal it served
   * fails and is let go, the descriptors it opened are closed; the next write that needs a thread starts a
   * new one.
   */
  private lost(worker: Worker, reason: string): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    for (const fd of this.threadFds.values()) {
      try {
        closeSync(fd);
      } catch {
        // closed with the thread
      }
    }
    this.threadFds.clear();
    const clients = [...this.inThread].map((id) => this.clients.get(id));
    for (const id of this.inThread) this.clients.delete(id);
    this.inThread.clear();
    for (const client of clients) {
      if (!client) continue;
      client.failed(reason);
      client.letGo();
    }
  }

  private answer(reply: WriterReply): void {
    if (reply.kind === 'opened') return void this.threadFds.set(reply.id, reply.fd);
    if (reply.kind === 'done') {
      for (const [id, writes, bytes] of reply.done) this.clients.get(id)?.done(writes, bytes);
      return;
    }
    const client = this.clients.get(reply.id);
    if (reply.kind === 'closed') {
      this.clients.delete(reply.id);
      this.inThread.delete(reply.id);
      this.threadFds.delete(reply.id);
      client?.letGo();
    } else {
      this.threadFds.delete(reply.id); // the thread closed it as it failed
      client?.failed(reply.error);
    }
  }
}

/** The one writer thread of this process, started at the first write a terminal did not take at once. */
export const terminalWriter = new TerminalWriter();
