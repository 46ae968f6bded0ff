// `switchboard attach`: this terminal becomes a pane of the session, in raw mode, until the detach key.
import { readlinkSync, writeSync } from 'node:fs';
import type { HubClient, HubMessage, OutputFrame } from '../src-protocol/index.js';
import {
  ACK_BATCH_CHARS,
  CLEAR_SCREEN_BEFORE_SNAPSHOT,
  DETACH_KEY,
  HubError,
  LEASE_KEY,
  splitTerminalKeys,
} from '../src-protocol/index.js';

export { DETACH_KEY, LEASE_KEY };

/** ms a detach waits for the hub's answer before the terminal is given back anyway. */
const DETACH_WAIT_MS = 3000;

/**
 * ms an ack waits for more output to go with it: several times the time between two keystrokes, so typing
 * costs the hub (and every attached terminal) an ack and a wake-up per second, not per few keys; the size
 * cap (ACK_BATCH_CHARS, an eighth of the hub's credit) still sends one at once under a flood.
 */
export const ATTACH_ACK_DELAY_MS = 1000;

/** Leaves the alternate screen, shows the cursor, turns off mouse and paste modes, resets colours. */
const RESET_TERMINAL =
  '\x1b[?1049l\x1b[?25h\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1004l\x1b[0m';
const CLEAR_SCREEN = CLEAR_SCREEN_BEFORE_SNAPSHOT;

/**
 * This process's terminal, when the hub may read and write it itself (issue 12): stdin and stdout are one
 * Linux pseudo-terminal (`/dev/pts/N`). Undefined otherwise (a pipe, a redirect, another system).
 */
export function ownTerminal(io: AttachIo): string | undefined {
  const fds = [io.stdin, io.stdout].map((stream) => (stream as { fd?: unknown }).fd);
  if (process.platform !== 'linux' || !io.stdin.isTTY || !io.stdout.isTTY) return undefined;
  if (typeof fds[0] !== 'number' || typeof fds[1] !== 'number') return undefined;
  try {
    const [input, output] = fds.map((fd) => readlinkSync(`/proc/self/fd/${fd as number}`));
    return input === output && /^\/dev\/pts\/\d{1,7}$/.test(input!) ? input : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A synchronous write(2) of output to a terminal, without the stream's per-write bookkeeping: the bytes
 * written, fewer when the terminal would block (the caller queues the rest in the stream). Undefined when
 * `stdout` is not a terminal with a descriptor, or while the stream still holds earlier writes.
 */
function directWriter(stdout: NodeJS.WriteStream): ((bytes: Uint8Array) => number) | undefined {
  const fd = (stdout as { fd?: unknown }).fd;
  if (!stdout.isTTY || typeof fd !== 'number') return undefined;
  return (bytes) => {
    if (stdout.writableLength > 0) return 0;
    let written = 0;
    try {
      while (written < bytes.length) written += writeSync(fd, bytes, written);
    } catch {
      // EAGAIN (a terminal that does not take more now), or a failure the stream reports as it always did
    }
    return written;
  };
}

export interface AttachIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** The session `ref` names as the hub resolves it: its id, its name, or a unique prefix of its id. */
function findSession<T extends { id: string; name: string }>(sessions: T[], ref: string): T | undefined {
  const exact = sessions.find((session) => session.id === ref) ?? sessions.find((s) => s.name === ref);
  if (exact) return exact;
  const byPrefix = sessions.filter((session) => session.id.startsWith(ref));
  return byPrefix.length === 1 ? byPrefix[0] : undefined;
}

function endedError(session: {
  name: string;
  signal?: number | string | null;
  exitCode?: number | null;
}): HubError {
  const how = session.signal ? `signal ${session.signal}` : `exit ${session.exitCode ?? '?'}`;
  return new HubError(
    'session_ended',
    `Session "${session.name}" has ended (${how}): nothing runs there to attach to. ` +
      `Its last screen: switchboard screen ${session.name}. ` +
      `Start it again: switchboard restart ${session.name} (or a new one with switchboard new).`,
  );
}

/**
 * Attaches, handing the hub `terminal` when there is one (in raw mode first: the hub reads its keys as
 * typed). A hub that may not take it (a connection over TCP, an older hub) is asked again without it.
 */
async function attachTo(
  client: HubClient,
  ref: string,
  observe: boolean,
  stdin: NodeJS.ReadStream,
  terminal: string | undefined,
) {
  const mode = observe ? 'observe' : 'drive';
  if (terminal === undefined) return client.attach(ref, mode);
  stdin.setRawMode(true);
  try {
    return await client.attach(ref, mode, { terminal });
  } catch (error) {
    const refused =
      error instanceof HubError && (error.code === 'not_allowed' || error.code === 'invalid_message');
    if (!refused) {
      stdin.setRawMode(false);
      throw error;
    }
    try {
      return await client.attach(ref, mode);
    } catch (again) {
      stdin.setRawMode(false);
      throw again;
    }
  }
}

export interface AttachOptions {
  /** Hand the hub this terminal when it may take it (the CLI's default; `--relay` and `join` do not). */
  handOver?: boolean;
}

export async function runAttach(
  client: HubClient,
  sessionRef: string,
  observe: boolean,
  io: AttachIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  options: AttachOptions = {},
): Promise<number> {
  const { stdin, stdout } = io;
  const target = findSession(await client.listSessions(), sessionRef);
  if (target?.status === 'ended') throw endedError(target);
  if (target && process.env.SWITCHBOARD_SESSION_ID === target.id) {
    throw new HubError(
      'not_allowed',
      `This terminal is session "${target.name}" itself: attached inside itself, its output would feed back ` +
        'into it. Attach from another terminal (or another session).',
    );
  }
  const terminal = options.handOver ? ownTerminal(io) : undefined;
  // What comes in the same read as the attach's answer is dispatched before this function resumes: it is
  // kept, and handled after the snapshot, in order (else that output was lost, and never acked).
  type Pushed = { message: HubMessage } | { frame: OutputFrame };
  const early: Pushed[] = [];
  let handle: ((pushed: Pushed) => void) | undefined;
  const take = (pushed: Pushed) => (handle ? handle(pushed) : early.push(pushed));
  client.onMessage((message) => take({ message }));
  client.onOutput((frame) => take({ frame }));
  const snapshot = await attachTo(client, target?.id ?? sessionRef, observe, stdin, terminal);
  /** The hub writes this terminal and reads its keys: this process only answers for the session. */
  const handedOver = snapshot.terminal === 'direct';
  const session = snapshot.session;
  // Said once attached: an error (an ended or unknown session) comes alone.
  if (!stdin.isTTY) io.stderr.write('switchboard: stdin is not a terminal; input is sent as it arrives.\n');
  const self = client.self?.clientId;
  /** Names of the session's participants by client id, from presence (invite names, `owner`). */
  const names = new Map<string, string>();
  const nameOf = (clientId: string | null) =>
    clientId === null ? 'nobody' : clientId === self ? 'you' : (names.get(clientId) ?? clientId);
  let holder: string | null = null;
  let pending: string[] = [];
  let asked = false;
  /** Why the hub sent us away (revoked, kicked), when it said so before closing. */
  let sentAway: string | undefined;

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (message: string, code: number) => {
      if (finished) return;
      finished = true;
      stdin.off('data', onInput);
      stdin.off('end', onEnd);
      clearTimeout(ackTimer);
      stdout.off('resize', onResize);
      for (const signal of signals) process.off(signal, onSignal);
      const giveBack = () => {
        if (stdin.isTTY) stdin.setRawMode(false);
        stdin.pause();
        // A paused pipe (stdin not a terminal) would still keep the process alive after detaching.
        (stdin as Partial<{ unref(): void }>).unref?.();
        stdout.write(`${RESET_TERMINAL}\r\n[switchboard] ${message}\r\n`);
      };
      const detached = client.isClosed ? Promise.resolve() : client.detach(session).catch(() => undefined);
      if (!handedOver) {
        giveBack();
        void detached.finally(() => client.close());
        return resolve(code);
      }
      // The hub writes this terminal until it has detached: the reset goes after its last write.
      let waited: NodeJS.Timeout | undefined;
      void Promise.race([detached, new Promise((done) => (waited = setTimeout(done, DETACH_WAIT_MS)))]).then(
        () => {
          clearTimeout(waited);
          giveBack();
          client.close();
          resolve(code);
        },
      );
    };
    // Acks for what the terminal took, gathered (issue 12): one per keystroke from every attached
    // terminal was most of the hub's work per keystroke with observers, far inside the credit.
    let unacked = 0;
    let ackTimer: NodeJS.Timeout | undefined;
    const sendAck = () => {
      clearTimeout(ackTimer);
      ackTimer = undefined;
      if (unacked > 0 && !client.isClosed) client.ack(session, unacked);
      unacked = 0;
    };
    const took = (chars: number) => {
      unacked += chars;
      if (unacked >= ACK_BATCH_CHARS) sendAck();
      else if (unacked > 0) ackTimer ??= setTimeout(sendAck, ATTACH_ACK_DELAY_MS);
    };
    const direct = directWriter(stdout);
    const paint = (data: string | Uint8Array, ackChars = 0) => {
      if (finished) return; // after the terminal was given back (a frame the hub sent before the detach)
      if (typeof data !== 'string' && direct) {
        // Output straight to the terminal (issue 12): written when this returns, so acked as written.
        const written = direct(data);
        if (written === data.length) return took(ackChars);
        data = data.subarray(written); // the terminal is busy: the rest waits in the stream, in order
      }
      stdout.write(data, () => took(ackChars));
    };
    /** One line at the bottom of the terminal, in reverse video; the session's next redraw covers it. */
    const status = (text: string) => {
      const row = stdout.rows ?? 24;
      stdout.write(`\x1b7\x1b[${row};1H\x1b[2K\x1b[7m[switchboard] ${text}\x1b[0m\x1b8`);
    };
    const onLease = (message: Extract<HubMessage, { type: 'lease.changed' }>) => {
      holder = message.holder;
      pending = message.pending;
      if (message.holder === self) {
        asked = false;
        if (message.reason === 'requested' && pending[0])
          status(`${nameOf(pending[0])} asks for the input lease: press Ctrl-^ to hand it over.`);
        else if (message.reason !== 'auto') status('You hold the input lease: you type.');
      } else if (message.holder !== null) {
        if (message.reason !== 'requested' || pending.includes(self ?? ''))
          status(`${message.holderName ?? nameOf(message.holder)} holds the input lease.`);
      } else if (message.reason !== 'auto') status('Nobody holds the input lease: type to take it.');
    };
    const askForLease = () => {
      if (observe || holder === self || holder === null) return;
      if (!asked)
        void client.leaseRequest(session).catch((error: unknown) => {
          if (error instanceof HubError) status(error.message);
        });
      asked = true;
      status(
        `${nameOf(holder)} holds the input lease; you asked for it. It comes to you when they hand it over, ` +
          'or after they stop typing for 30 s.',
      );
    };
    const onLeaseKey = () => {
      if (holder === self && pending[0]) void client.leaseGrant(session, pending[0]).catch(() => undefined);
      else askForLease();
    };
    const onMessage = (message: HubMessage) => {
      if (message.type === 'connection.closing') sentAway = message.message;
      if (message.type === 'terminal.key' && message.session === session) {
        if (message.key === 'detach') finish('detached', 0);
        else if (!observe) onLeaseKey();
        return;
      }
      // Keystrokes go without an id (no `ok` each): a refused one comes back as an error without replyTo.
      if (message.type === 'error' && message.replyTo === undefined && !observe) {
        // Someone else types: ask for the lease once, and say so on a status line.
        if (message.code === 'lease_held') askForLease();
        else status(message.message);
        return;
      }
      if (!('session' in message) || message.session !== session) return;
      if (message.type === 'session.presence')
        for (const entry of message.clients) names.set(entry.clientId, entry.name ?? entry.client);
      if (message.type === 'lease.changed') onLease(message);
      // Handed over, the hub writes the screens (and the output) into the terminal itself.
      if (handedOver && message.type === 'pty.snapshot') return;
      if (message.type === 'pty.output') paint(message.data, message.data.length);
      else if (message.type === 'pty.snapshot') paint(CLEAR_SCREEN + message.data);
      else if (message.type === 'pty.exit') {
        finish(
          `session ended (${message.signal ? `signal ${message.signal}` : `exit ${message.exitCode}`})`,
          0,
        );
      }
    };
    const onInput = (chunk: Buffer) => {
      const keys = splitTerminalKeys(chunk.toString('utf8'), observe);
      if (keys.lease) onLeaseKey();
      if (keys.typed.length > 0) client.type(session, keys.typed);
      if (keys.detach) finish('detached', 0);
    };
    // Input that ends (a pipe, </dev/null) ends the attach; what it typed was sent before the detach.
    const onEnd = () => finish('end of input', 0);
    const onResize = () => {
      if (!observe && stdout.columns && stdout.rows)
        void client.resize(session, stdout.columns, stdout.rows).catch(() => undefined);
    };
    const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
    const onSignal = () => finish('detached (signal)', 0);

    // Binary output (issue 12): the bytes go to the terminal as they came, acked once written.
    const onOutput = (frame: OutputFrame) => frame.session === session && paint(frame.bytes, frame.chars);
    client.onClose(() => finish(sentAway ?? 'the hub closed the connection', 1));
    for (const signal of signals) process.on(signal, onSignal);
    if (!handedOver) {
      // Handed over, the terminal is the hub's to read (its keys come back as `terminal.key`) and to
      // write (it wrote the snapshot's screen): this process never reads it. Otherwise it relays.
      if (stdin.isTTY) stdin.setRawMode(true);
      stdin.resume();
      stdin.on('data', onInput);
      stdin.on('end', onEnd);
      paint(CLEAR_SCREEN + snapshot.data);
    }
    handle = (pushed) => ('message' in pushed ? onMessage(pushed.message) : onOutput(pushed.frame));
    for (const pushed of early.splice(0)) {
      // The attach's own answer was handled above.
      if (
        'message' in pushed &&
        pushed.message.type === 'pty.snapshot' &&
        pushed.message.replyTo !== undefined
      )
        continue;
      handle(pushed);
    }
    stdout.on('resize', onResize);
    onResize(); // a driver's terminal sets the session's size; an observer's never does
  });
}
