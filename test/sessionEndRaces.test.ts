// Ring 2, issue 9: races the fuzz found, pinned as plain tests: requests that meet a session's end (its pty
// gone, the 100 ms output drain not yet over) or an attach cut short by a detach.
import { afterEach, describe, expect, it } from 'vitest';
import { HubError, type Transport } from '../src-protocol/index.js';
import { alive } from './processes.js';
import { fixture, startTestHub, waitUntil, type TestHub } from './helpers.js';

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

const sturdy = { command: process.execPath, args: [fixture('sturdy-echo.mjs')], cols: 80, rows: 24 };

/** Raw frames over an in-process connection, and every reply, parsed. */
function rawConnection(transport: Transport) {
  const replies: Array<Record<string, unknown>> = [];
  transport.onMessage((frame) => replies.push(JSON.parse(frame) as Record<string, unknown>));
  return {
    replies,
    send: (message: unknown) => transport.send(JSON.stringify(message)),
    reply: (id: string) =>
      waitUntil(() => replies.some((reply) => reply.replyTo === id), 3_000, `a reply to ${id}`).then(() =>
        replies.find((reply) => reply.replyTo === id)!,
      ),
  };
}

describe('requests that meet a session ending', () => {
  it('a resize still pending when the process exits throws from no timer (it took the hub down)', async () => {
    // A long drain makes the window wide and the test exact: the pending resize lands inside it.
    hub = await startTestHub({ limits: { exitDrainMs: 1_000 } });
    const owner = await hub.client();
    const session = await owner.createSession({ name: 'ending', ...sturdy });
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    try {
      await owner.resize(session.id, 100, 30); // applied at once
      await owner.resize(session.id, 101, 31); // waits out the 250 ms resize window
      await owner.kill(session.id); // SIGHUP now; the pending resize fires during the drain
      expect(uncaught.map(String)).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });

  it('a resize after the process exited, before the session ended, is refused with a code', async () => {
    hub = await startTestHub({ limits: { exitDrainMs: 1_000 } });
    const owner = await hub.client();
    const session = await owner.createSession({ name: 'ending', ...sturdy });
    const killed = owner.kill(session.id);
    killed.catch(() => undefined); // awaited below; a failed assertion must not leave it unhandled
    await waitUntil(() => !alive(session.pid!), 3_000, 'the process to exit');
    const refusal = await owner.resize(session.id, 90, 30).then(
      () => undefined,
      (error: unknown) => error,
    );
    // `ok` would do too; what must not happen is a bug (`internal`, an EBADF from node-pty) reaching the client.
    if (refusal !== undefined) expect((refusal as HubError).code).toBe('session_ended');
    await killed;
  });
});

describe('an attach cut short', () => {
  it('is answered even when a detach sent right after it ends it before its snapshot', async () => {
    hub = await startTestHub();
    const owner = await hub.client();
    const session = await owner.createSession({ name: 'target', ...sturdy });
    const chat = rawConnection(hub.hub.openConnection('test'));
    chat.send({ type: 'auth', id: 'auth', token: hub.hub.ownerToken });
    expect(await chat.reply('auth')).toMatchObject({ type: 'auth.ok' });
    chat.send({ type: 'attach', id: 'attach', session: session.id, mode: 'observe' });
    chat.send({ type: 'detach', id: 'detach', session: session.id });
    expect(await chat.reply('detach')).toMatchObject({ type: 'ok' });
    // A snapshot or a coded error; silence leaves the client's request hanging until its 30 s deadline.
    expect((await chat.reply('attach')).type).toMatch(/^(pty\.snapshot|error)$/);
  });
});
