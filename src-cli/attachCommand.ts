// `switchboard attach`: this terminal becomes a pane of the session, in raw mode, until the detach key.
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { HubError } from '../src-protocol/index.js';

/** Ctrl-] detaches, as in telnet: it is rarely bound by shells or by Claude Code. */
export const DETACH_KEY = '\x1d';

/** Leaves the alternate screen, shows the cursor, turns off mouse and paste modes, resets colours. */
const RESET_TERMINAL =
  '\x1b[?1049l\x1b[?25h\x1b[?2004l\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1004l\x1b[0m';
const CLEAR_SCREEN = '\x1b[H\x1b[2J\x1b[3J';

export interface AttachIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export async function runAttach(
  client: HubClient,
  sessionRef: string,
  observe: boolean,
  io: AttachIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const { stdin, stdout } = io;
  const sessions = await client.listSessions();
  const target = sessions.find((session) => session.id === sessionRef || session.name === sessionRef);
  const snapshot = await client.attach(target?.id ?? sessionRef, observe ? 'observe' : 'drive');
  const session = snapshot.session;

  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (message: string, code: number) => {
      if (finished) return;
      finished = true;
      stdin.off('data', onInput);
      stdout.off('resize', onResize);
      for (const signal of signals) process.off(signal, onSignal);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      stdout.write(`${RESET_TERMINAL}\r\n[switchboard] ${message}\r\n`);
      if (!client.isClosed)
        void client
          .detach(session)
          .catch(() => undefined)
          .finally(() => client.close());
      resolve(code);
    };
    const paint = (data: string, ackChars = 0) =>
      stdout.write(data, () => {
        if (ackChars > 0 && !client.isClosed) client.ack(session, ackChars);
      });
    const onMessage = (message: HubMessage) => {
      if (!('session' in message) || message.session !== session) return;
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
      if (before.length > 0) {
        client.input(session, before).catch((error: unknown) => {
          if (error instanceof HubError && error.code === 'lease_held') stdout.write('\x07'); // bell: someone else types
        });
      }
      if (detachAt >= 0) finish('detached', 0);
    };
    const onResize = () => {
      if (!observe && stdout.columns && stdout.rows)
        void client.resize(session, stdout.columns, stdout.rows).catch(() => undefined);
    };
    const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
    const onSignal = () => finish('detached (signal)', 0);

    client.onMessage(onMessage);
    client.onClose(() => finish('the hub closed the connection', 1));
    for (const signal of signals) process.on(signal, onSignal);
    if (stdin.isTTY) stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onInput);
    stdout.on('resize', onResize);
    paint(CLEAR_SCREEN + snapshot.data);
    onResize(); // a driver's terminal sets the session's size; an observer's never does
  });
}
