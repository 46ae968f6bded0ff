// An attach client's own terminal, read and written by the hub itself (issue 12). tmux's server works
// this way: its client hands over its terminal and sleeps, so a keystroke wakes only the server, the
// program and the server again, and every observer costs the server one write(2), not a process wake-up.
// Only the owner's attach over the hub's local socket may name its terminal (`/dev/pts/N`), and the hub
// opens it only when it is a terminal of the hub's own user that is not the hub's controlling terminal.
import { closeSync, constants, fstatSync, openSync, readFileSync, writeSync } from 'node:fs';
import { ReadStream, isatty } from 'node:tty';
import { StringDecoder } from 'node:string_decoder';
import { HubError } from '../../src-protocol/index.js';

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
 * echo whole), what it does not take waits in the stream, in order; keystrokes come through `onInput`.
 */
export class ClientTerminal {
  private readonly stream: ReadStream;
  private readonly decoder = new StringDecoder('utf8');
  private closed = false;

  constructor(readonly fd: number) {
    this.stream = new ReadStream(fd);
    // A terminal that hangs up (its window closed) is let go: its attach process gets SIGHUP and its
    // connection closes, which ends the subscription; meanwhile output to it is dropped.
    this.stream.on('error', () => this.close());
    this.stream.on('end', () => this.close());
  }

  /** Writes handed to the stream whose callback has not run: what a control frame waits for. */
  private inFlight = 0;
  private waiters: Array<() => void> = [];

  /**
   * Runs `then` once everything written so far has reached the terminal (at once when nothing waits): a
   * notice sent on the connection (the session's exit) must not overtake the output before it.
   */
  afterWrites(then: () => void): void {
    if (this.closed || this.inFlight === 0) return then();
    this.waiters.push(then);
  }

  private runWaiters(): void {
    if (this.inFlight > 0 && !this.closed) return;
    for (const then of this.waiters.splice(0)) then();
  }

  /** Bytes the terminal has not taken yet. */
  get bufferedBytes(): number {
    return this.closed ? 0 : this.stream.writableLength;
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
    // At once when nothing waits (a full terminal costs one EAGAIN: its next frames wait in the sink).
    if (this.stream.writableLength === 0) {
      try {
        while (done < bytes.length) done += writeSync(this.fd, bytes, done);
      } catch {
        // EAGAIN: the terminal takes no more now; the rest waits in the stream. Other errors (EIO: the
        // terminal hung up) come again from the stream's write, which reports them as an 'error'.
      }
    }
    if (done === bytes.length) return written();
    this.inFlight++;
    this.stream.write(done === 0 ? bytes : bytes.subarray(done), () => {
      this.inFlight--;
      written();
      this.runWaiters();
    });
  }

  /**
   * Lets go of the terminal: stops reading at once (libuv closes its descriptor) and drops what waited to
   * be written. The descriptor the hub opened is closed too: libuv reads and writes through a copy it
   * opened itself, so closing its own leaves ours open (one per attach, for the hub's lifetime).
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.stream.removeAllListeners('data');
    this.stream.destroy();
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    this.runWaiters();
  }
}
