// Issue 12: `switchboard attach` acks what its terminal took in batches, not once per output frame, so
// typing with observers attached costs the hub no ack per keystroke; a burst past ACK_BATCH_CHARS is
// still acked at once, so flow control keeps working.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ACK_BATCH_CHARS } from '../src-protocol/index.js';
import { ATTACH_ACK_DELAY_MS, DETACH_KEY, runAttach, type AttachIo } from '../src-cli/attachCommand.js';
import { startTestHub, waitUntil, type TestHub } from './helpers.js';

let hub: TestHub | undefined;
afterEach(async () => {
  await hub?.close();
  hub = undefined;
});

function fakeTerminal() {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let text = '';
  stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const io = { stdin, stdout, stderr: new PassThrough() } as unknown as AttachIo;
  return { io, stdin, text: () => text };
}

describe('switchboard attach acks (issue 12)', () => {
  it('gathers the acks of a burst of keystrokes into one, and acks a large burst at once', async () => {
    hub = await startTestHub();
    const owner = await hub.client();
    const session = await owner.createSession({ command: '/bin/cat' });
    const client = await hub.client({ autoAck: false });
    const acks: number[] = [];
    const ack = client.ack.bind(client);
    vi.spyOn(client, 'ack').mockImplementation((id, chars) => {
      acks.push(chars);
      ack(id, chars);
    });
    const terminal = fakeTerminal();
    const done = runAttach(client, session.id, true, terminal.io);
    await waitUntil(
      () => hub!.hub.registry.resolve(session.id).participants().length === 1,
      10_000,
      'attach',
    );

    for (const key of ['a', 'b', 'c']) await owner.input(session.id, key);
    await waitUntil(() => /a.*b.*c/s.test(terminal.text()), 10_000, 'the echo');
    expect(acks).toEqual([]); // within the delay: nothing acked yet
    await waitUntil(() => acks.length > 0, ATTACH_ACK_DELAY_MS * 8, 'the gathered ack');
    await new Promise((resolve) => setTimeout(resolve, ATTACH_ACK_DELAY_MS * 2));
    expect(acks).toHaveLength(1); // the three echoes (and whatever came with them) in one ack
    expect(acks[0]).toBeGreaterThanOrEqual(3);

    acks.length = 0;
    const line = 'y'.repeat(4000);
    for (let sent = 0; sent <= ACK_BATCH_CHARS; sent += line.length)
      await owner.input(session.id, `${line}\r`);
    // The size cap sends an ack before the delay would.
    await waitUntil(() => acks.some((chars) => chars >= ACK_BATCH_CHARS), 20_000, 'an ack at the size cap');

    terminal.stdin.write(DETACH_KEY);
    expect(await done).toBe(0);
  });

  it('writes output to a terminal with write(2) on its descriptor, in order, and acks it as written', async () => {
    hub = await startTestHub();
    const owner = await hub.client();
    const session = await owner.createSession({ command: '/bin/cat' });
    const client = await hub.client({ autoAck: false, rawOutput: true }); // as `switchboard attach`
    const acks: number[] = [];
    const ack = client.ack.bind(client);
    vi.spyOn(client, 'ack').mockImplementation((id, chars) => {
      acks.push(chars);
      ack(id, chars);
    });
    // A terminal as the attach command sees one: isTTY and a descriptor (here a file, to read back).
    const scratch = mkdtempSync(join(tmpdir(), 'sb-attach-'));
    const fd = openSync(join(scratch, 'terminal'), 'w');
    try {
      const terminal = fakeTerminal();
      Object.assign(terminal.io.stdout, { isTTY: true, fd });
      const streamWrites = vi.spyOn(terminal.io.stdout, 'write');
      const done = runAttach(client, session.id, true, terminal.io);
      await waitUntil(() => terminal.text().includes('\x1b[2J'), 10_000, 'the snapshot');
      streamWrites.mockClear();
      const written = () => readFileSync(join(scratch, 'terminal'), 'utf8');
      for (const key of ['one-', 'two-', 'three']) await owner.input(session.id, key);
      await waitUntil(() => written().includes('three'), 10_000, 'the echo in the terminal');
      expect(written()).toMatch(/one-.*two-.*three/s);
      expect(streamWrites.mock.calls).toEqual([]); // output never went through the stream
      await waitUntil(() => acks.length > 0, ATTACH_ACK_DELAY_MS * 8, 'the gathered ack');
      expect(acks.reduce((sum, chars) => sum + chars, 0)).toBe(written().length);
      terminal.stdin.write(DETACH_KEY);
      expect(await done).toBe(0);
    } finally {
      closeSync(fd);
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
