// An attach client's own terminal, read and written by the hub itself (issue 12). tmux's server works
// this way: its client hands over its terminal and sleeps, so a keystroke wakes only the server, the
// program and the server again, and every observer costs the server one write(2), not a process wake-up.
// Only the owner's attach over the hub's local socket may name its terminal (`/dev/pts/N`), and the hub
// opens it only when it is a terminal of the hub's own user that is not the hub's controlling terminal.
import { closeSync, constants, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ReadStream, isatty } from 'node:tty';
import { StringDecoder } from 'node:string_decoder';
import { HubError } from '../../src-protocol/index.js';
import { terminalWriter, type TerminalWriter, type WriterClient } from './terminalWriter.js';

/** The device number of the hub's controlling terminal (0: none), from /proc/self/stat's 7th field. */
function controllingTerminal(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // The command name (2nd field) is in parentheses and may hold spaces: count from its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[4]) || 0;
  } catch {
    return 0;
  }
}

/** How long a detach waits for the writer thread to let go of the terminal (it answers in a turn or two). */
const RELEASE_WAIT_MS = 2_000;

export type TerminalOpening = { terminal: ClientTerminal } | { relay: string };

/**
 * Opens `path` for a local owner's attach. A path that is not a terminal of this user throws
 * `invalid_message`; a terminal the hub cannot use (its own controlling terminal: reading it from the
 * background would stop the hub) comes back as `relay`, with the reason: output then goes in frames.
 */
export function openClientTerminal(path: string): TerminalOpening {
  if (process.platform !== 'linux') return { relay: 'the hub reads client terminals on Linux only' };
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new HubError(
      'invalid_message',
      `The hub cannot open terminal ${path} (${code}); attach without naming a terminal.`,
    );
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isCharacterDevice() || !isatty(fd))
      throw new HubError('invalid_message', `${path} is not a terminal; attach without naming one.`);
    if (stat.uid !== process.getuid?.())
      throw new HubError('not_allowed', `Terminal ${path} belongs to another user; the hub leaves it alone.`);
    const own = controllingTerminal();
    // Both are the kernel's device encoding for every terminal's numbers (majors under 4096).
    if (own !== 0 && own === stat.rdev) {
      closeSync(fd);
      return { relay: `${path} is the hub's own terminal` };
    }
    return { terminal: new ClientTerminal(fd) };
  } catch (error) {
    closeSync(fd);
    if (error instanceof HubError) throw error;
    throw new HubError('invalid_message', `The hub cannot use terminal ${path}: ${String(error)}.`);
  }
}

/**
 * One client terminal: output is written with write(2) at once (the terminal's buffer takes a keystroke's
 * echo whole); what it does not take goes to the writer thread (attach/terminalWriter.ts), and so does all
 * output after it until the thread has written it, in order. Keystrokes come through `onInput`.
 */
export class ClientTerminal implements WriterClient {
  private readonly stream: ReadStream;
  private readonly decoder = new StringDecoder('utf8');
  private readonly id: number;
  private closed = false;
  /** Resolves once nothing of the hub's can reach the terminal any more (the writer thread let go). */
  private released: Promise<void> | undefined;
  private resolveReleased: () => void = () => undefined;
  /** Bytes handed to the writer thread and not yet written, and the callbacks of those writes. */
  private backlog = 0;
  private readonly pending: Array<() => void> = [];
  private waiters: Array<() => void> = [];

  constructor(
    readonly fd: number,
    private readonly writer: TerminalWriter = terminalWriter,
  ) {
    this.id = writer.register(this);
    this.stream = new ReadStream(fd);
    // A terminal that hangs up (its window closed) is let go: its attach process gets SIGHUP and its
    // connection closes, which ends the subscription; meanwhile output to it is dropped.
    this.stream.on('error', () => void this.close());
    this.stream.on('end', () => void this.close());
  }

  /**
   * Runs `then` once everything written so far has reached the terminal (at once when nothing waits): a
   * notice sent on the connection (the session's exit) must not overtake the output before it.
   */
  afterWrites(then: () => void): void {
    if (this.closed || this.pending.length === 0) return then();
    this.waiters.push(then);
  }

  private runWaiters(): void {
    if (this.pending.length > 0 && !this.closed) return;
    for (const then of this.waiters.splice(0)) then();
  }

  /** Bytes the terminal has not taken yet. */
  get bufferedBytes(): number {
    return this.closed ? 0 : this.backlog;
  }

  onInput(handler: (text: string) => void): void {
    this.stream.on('data', (chunk: Buffer) => {
      const text = this.decoder.write(chunk);
      if (text.length > 0) handler(text);
    });
    this.stream.resume();
  }

  /** Writes `bytes`; `written` runs once the terminal has taken them all. */
  write(bytes: Uint8Array, written: () => void): void {
    if (this.closed) return;
    let done = 0;
    // At once when nothing waits (a full terminal costs one EAGAIN: the rest goes to the writer thread).
    if (this.pending.length === 0) {
      try {
        while (done < bytes.length) done += writeSync(this.fd, bytes, done);
      } catch (error) {
        // EAGAIN: the terminal takes no more now. Other errors (EIO: the terminal hung up) come again from
        // the thread's write, which reports them.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return void this.close();
      }
    }
    if (done === bytes.length) return written();
    const rest = done === 0 ? bytes : bytes.subarray(done);
    this.backlog += rest.length;
    this.pending.push(written);
    this.writer.write(this.id, this.fd, rest);
  }

  /** The writer thread wrote `writes` of the queued writes, `bytes` in all. */
  done(writes: number, bytes: number): void {
    if (this.closed) return;
    this.backlog -= bytes;
    for (const written of this.pending.splice(0, writes)) written();
    this.runWaiters();
  }

  failed(): void {
    void this.close();
  }

  /**
   * Lets go of the terminal: stops reading at once (libuv closes its descriptor) and drops what waited to
   * be written. The descriptor the hub opened is closed too (libuv reads and writes through copies it
   * opened itself) once the writer thread, if it had this terminal, has let go of its own: the promise
   * resolves then, after which nothing of the hub's reaches the terminal (the attach may reset it).
   */
  close(): Promise<void> {
    if (this.released) return this.released;
    this.released = new Promise((resolve) => (this.resolveReleased = resolve));
    this.closed = true;
    this.stream.removeAllListeners('data');
    this.stream.destroy();
    this.pending.length = 0;
    this.backlog = 0;
    this.writer.close(this.id);
    this.runWaiters();
    return this.released;
  }

  /**
   * `close()`, waited for at most `limitMs`: a writer thread that does not answer (not expected) must not
   * keep a detach from completing; the terminal is not written by this hub again either way.
   */
  closeWithin(limitMs = RELEASE_WAIT_MS): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, limitMs)));
    return Promise.race([this.close(), late]).finally(() => clearTimeout(timer));
  }

  /** The writer thread has let go of its copy. */
  letGo(): void {
    this.closeDescriptor();
    this.resolveReleased();
  }

  private closeDescriptor(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }
}
