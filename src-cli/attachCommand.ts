// `switchboard attach`: this terminal becomes a pane of the session, in raw mode, until the detach key.
import { writeSync } from 'node:fs';
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { ACK_BATCH_CHARS, HubError } from '../src-protocol/index.js';

/** Ctrl-] detaches, as in telnet: it is rarely bound by shells or by Claude Code. */
export const DETACH_KEY = '\x1d';
/**
 * Ctrl-^ (Ctrl-6) asks for the input lease, or hands it to whoever asked while you hold it. Shells and
 * Claude Code leave it unbound; it never reaches the session.
 */
export const LEASE_KEY = '\x1e';

/**
 * ms an ack waits for more output to go with it: several times the time between two keystrokes, so typing
 * costs the hub (and every attached terminal) an ack and a wake-up per second, not per few keys; the size
 * cap (ACK_BATCH_CHARS, an eighth of the hub's credit) still sends one at once under a flood.
 */
export const ATTACH_ACK_DELAY_MS = 1000;

/** Leaves the alternate screen, shows the cursor, turns off mouse and paste modes, resets colours. */
const RESET_TERMINAL =
  '\x1b[?1049l\x1b[?25h\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1004l\x1b[0m';
const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

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

export async function runAttach(
  client: HubClient,
  sessionRef: string,
  observe: boolean,
  io: AttachIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const { stdin, stdout } = io;
  const target = findSession(await client.listSessions(), sessionRef);
  if (target?.status === 'ended') throw endedError(target);
  const snapshot = await client.attach(target?.id ?? sessionRef, observe ? 'observe' : 'drive');
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
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      // A paused pipe (stdin not a terminal) would still keep the process alive after detaching.
      (stdin as Partial<{ unref(): void }>).unref?.();
      stdout.write(`${RESET_TERMINAL}\r\n[switchboard] ${message}\r\n`);
      if (!client.isClosed)
        void client
          .detach(session)
          .catch(() => undefined)
          .finally(() => client.close());
      resolve(code);
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
    const onMessage = (message: HubMessage) => {
      if (message.type === 'connection.closing') sentAway = message.message;
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
      const text = chunk.toString('utf8');
      const detachAt = text.indexOf(DETACH_KEY);
      const before = detachAt >= 0 ? text.slice(0, detachAt) : text;
      if (observe) {
        if (detachAt >= 0 || text.includes('\x03')) finish('detached', 0);
        return;
      }
      if (before.includes(LEASE_KEY)) {
        if (holder === self && pending[0]) void client.leaseGrant(session, pending[0]).catch(() => undefined);
        else askForLease();
      }
      const typed = before.replaceAll(LEASE_KEY, '');
      client.type(session, typed);
      if (detachAt >= 0) finish('detached', 0);
    };
    // Input that ends (a pipe, </dev/null) ends the attach; what it typed was sent before the detach.
    const onEnd = () => finish('end of input', 0);
    const onResize = () => {
      if (!observe && stdout.columns && stdout.rows)
        void client.resize(session, stdout.columns, stdout.rows).catch(() => undefined);
    };
    const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
    const onSignal = () => finish('detached (signal)', 0);

    client.onMessage(onMessage);
    // Binary output (issue 12): the bytes go to the terminal as they came, acked once written.
    client.onOutput((frame) => frame.session === session && paint(frame.bytes, frame.chars));
    client.onClose(() => finish(sentAway ?? 'the hub closed the connection', 1));
    for (const signal of signals) process.on(signal, onSignal);
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onInput);
    stdin.on('end', onEnd);
    stdout.on('resize', onResize);
    paint(CLEAR_SCREEN + snapshot.data);
    onResize(); // a driver's terminal sets the session's size; an observer's never does
  });
}
