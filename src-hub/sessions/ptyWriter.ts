// Input into a pty's master, written at once (issue 12). node-pty queues every write and hands it to
// libuv's thread pool (an async fs.write), so a keystroke waited for a pool thread, on a busy machine a
// scheduler wake-up, before `cat` could even see it. Here the write is a synchronous write(2) on the
// master fd, which is non-blocking: it takes what the kernel buffer has room for and never stalls the
// hub. What does not fit (a paste larger than the buffer, a program that stopped reading) waits in a
// queue, in order, retried off the event loop the way node-pty does; nothing is written ahead of it.
import { write, writeSync } from 'node:fs';

export interface PtyWriterTarget {
  /** The master fd. */
  readonly fd: number;
  /** False once the pty has closed (its fd is gone, and its number may already belong to a new file). */
  isOpen(): boolean;
}

const isAgain = (error: unknown) => (error as NodeJS.ErrnoException | null)?.code === 'EAGAIN';

export class PtyWriter {
  private readonly queue: Buffer[] = [];
  private draining = false;
  private retry: NodeJS.Immediate | undefined;

  constructor(private readonly target: PtyWriterTarget) {}

  /** Bytes waiting for room in the kernel's buffer. */
  get queuedBytes(): number {
    return this.queue.reduce((sum, buffer) => sum + buffer.byteLength, 0);
  }

  write(data: string | Uint8Array): void {
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
    if (buffer.byteLength === 0 || !this.target.isOpen()) return;
    if (this.queue.length > 0) {
      this.queue.push(buffer);
      return;
    }
    let written = 0;
    try {
      written = writeSync(this.target.fd, buffer);
    } catch (error) {
      // EIO, EBADF: the pty is closing; its exit event follows. node-pty dropped such writes too.
      if (!isAgain(error)) return;
    }
    if (written < buffer.byteLength) {
      this.queue.push(buffer.subarray(written));
      this.drain();
    }
  }

  /** Stops retrying (the pty has exited): what was still queued is dropped. */
  dispose(): void {
    if (this.retry) clearImmediate(this.retry);
    this.retry = undefined;
    this.queue.length = 0;
  }

  private drain(): void {
    this.retry = undefined;
    const head = this.queue[0];
    if (this.draining || !head) return;
    if (!this.target.isOpen()) {
      this.queue.length = 0;
      return;
    }
    this.draining = true;
    write(this.target.fd, head, 0, head.byteLength, null, (error, written) => {
      this.draining = false;
      if (error) {
        if (isAgain(error)) this.retry = setImmediate(() => this.drain());
        else this.queue.length = 0;
        return;
      }
      if (written >= head.byteLength) this.queue.shift();
      else this.queue[0] = head.subarray(written);
      this.drain();
    });
  }
}
