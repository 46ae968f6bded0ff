// Issue 12: local clients over the hub's Unix domain socket, and output as binary frames for clients that
// ask. The socket is private (0600 in the 0700 state directory) and still wants the token; browsers (an
// Origin) are refused on it; the CLI falls back to the port when it is gone. A client that offers the
// binary subprotocol gets `pty.output` as raw bytes behind a header, everyone else JSON; a client that
// sends a binary frame gets a coded error and its connection keeps working.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  BINARY_OUTPUT_PROTOCOL,
  decodeOutputFrame,
  encodeOutputFrame,
  outputText,
  type HubClient,
} from '../src-protocol/index.js';
import { connectHub, findHub } from '../src-cli/connect.js';
import { createHub, memoryLogger, readHubFile, type Hub } from '../src-hub/index.js';
import { outputOf, startTestHub, waitUntil, type TestHub } from './helpers.js';
import { chat } from './rawSocket.js';

let testHub: TestHub | undefined;
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await testHub?.close();
  testHub = undefined;
});

const socketPath = (hub: TestHub) => join(hub.stateDir, 'hub.sock');

/** A raw socket on the hub's Unix socket or port; resolves open, or with the refusal's status. */
function rawSocket(url: string, options: WebSocket.ClientOptions = {}, protocols: string[] = []) {
  return new Promise<WebSocket | number>((resolve, reject) => {
    const socket = new WebSocket(url, protocols, options);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

async function cliClient(address: Parameters<typeof connectHub>[0]): Promise<HubClient> {
  const client = await connectHub(address, { autoAck: true });
  cleanups.push(() => client.close());
  return client;
}

describe("the hub's Unix domain socket (issue 12)", () => {
  it('is private, named in hub.json, and serves the CLI as a local owner', async () => {
    testHub = await startTestHub();
    const path = socketPath(testHub);
    expect(statSync(path).isSocket()).toBe(true);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = readHubFile(testHub.stateDir)!;
    expect(file.socket).toBe(path);
    expect(findHub({ SWITCHBOARD_HOME: testHub.stateDir })).toMatchObject({ socket: path });

    const client = await cliClient(findHub({ SWITCHBOARD_HOME: testHub.stateDir }));
    expect(client.self?.role).toBe('owner');
    const session = await client.createSession({ command: '/bin/cat' });
    const view = outputOf(client, session.id);
    await client.attach(session.id, 'drive');
    await client.input(session.id, 'over-the-socket\r');
    await view.waitFor('over-the-socket');
    const authenticated = testHub.logger.events.filter((event) => event.event === 'client.authenticated');
    expect(authenticated.at(-1)).toMatchObject({ address: 'unix-socket', role: 'owner' });
  });

  it('still wants the token, and refuses browsers (any Origin)', async () => {
    testHub = await startTestHub();
    const url = `ws+unix:${socketPath(testHub)}:/ws`;
    await expect(rawSocket(url, { origin: 'http://127.0.0.1:1' })).resolves.toBe(403);
    await expect(
      cliClient({ ...findHub({ SWITCHBOARD_HOME: testHub.stateDir }), token: 'sbo_wrong' }),
    ).rejects.toMatchObject({
      code: 'unauthorized',
    });
    const socket = (await rawSocket(url)) as WebSocket;
    cleanups.push(() => socket.close());
    const talk = chat(socket);
    talk.send({ type: 'session.list', id: 1 });
    expect(await talk.reply(1)).toMatchObject({ type: 'error', code: 'unauthorized' });
  });

  it('goes away with the hub; the CLI then uses the port', async () => {
    testHub = await startTestHub();
    const address = findHub({ SWITCHBOARD_HOME: testHub.stateDir });
    rmSync(address.socket!); // as if removed by hand while the hub runs
    const client = await cliClient(address);
    expect(client.self?.role).toBe('owner');
    expect(
      testHub.logger.events.filter((event) => event.event === 'client.authenticated').at(-1),
    ).toMatchObject({
      address: '127.0.0.1',
    });
    await testHub.close();
    testHub = undefined;
    await expect(cliClient(address)).rejects.toMatchObject({ code: 'hub_unreachable' });
  });

  it('replaces a stale socket file, and leaves a live one to its owner', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-socket-'));
    cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
    const path = join(stateDir, 'hub.sock');
    // Something else listens there: the hub does not take it, and hub.json names no socket.
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(path, resolve));
    const first: Hub = createHub({ stateDir, logger: memoryLogger() });
    await first.listen({ port: 0 });
    expect(readHubFile(stateDir)?.socket).toBeUndefined();
    await first.close();
    await new Promise<void>((resolve) => other.close(() => resolve()));
    // A file left behind (no one listens): replaced.
    writeFileSync(path, '');
    const second = createHub({ stateDir, logger: memoryLogger() });
    cleanups.push(() => second.close());
    await second.listen({ port: 0 });
    expect(statSync(path).isSocket()).toBe(true);
    expect(readHubFile(stateDir)?.socket).toBe(path);
  });
});

describe('binary output frames (issue 12)', () => {
  it('go to clients that offer the subprotocol; JSON to the rest; both see the same stream', async () => {
    testHub = await startTestHub();
    const owner = await testHub.client();
    const session = await owner.createSession({ command: '/bin/cat' });
    const open = async (protocols: string[]) => {
      const socket = (await rawSocket(
        `${testHub!.url.replace('http', 'ws')}/ws`,
        {},
        protocols,
      )) as WebSocket;
      cleanups.push(() => socket.close());
      const binary: Buffer[] = [];
      const text: Array<Record<string, unknown>> = [];
      socket.on('message', (data: Buffer, isBinary) => {
        if (isBinary) binary.push(data);
        else text.push(JSON.parse(data.toString()) as Record<string, unknown>);
      });
      const send = (frame: unknown) => socket.send(JSON.stringify(frame));
      send({ type: 'auth', id: 1, token: testHub!.hub.ownerToken });
      send({ type: 'attach', id: 2, session: session.id, mode: 'observe' });
      await waitUntil(() => text.some((frame) => frame.replyTo === 2), 5000, 'the snapshot');
      return { socket, binary, text, send };
    };
    const fast = await open([BINARY_OUTPUT_PROTOCOL]);
    expect(fast.socket.protocol).toBe(BINARY_OUTPUT_PROTOCOL);
    const plain = await open([]);
    const declined = await open(['something-else']).catch((error: unknown) => error);
    expect(declined).toBeInstanceOf(Error); // the hub picks no protocol it was not offered

    await owner.input(session.id, 'héllo\r');
    await waitUntil(() => fast.binary.length > 0, 5000, 'a binary frame');
    await waitUntil(() => plain.text.some((frame) => frame.type === 'pty.output'), 5000, 'a JSON frame');
    const frame = decodeOutputFrame(fast.binary[0]!);
    const json = plain.text.find((message) => message.type === 'pty.output')!;
    expect(frame).toMatchObject({
      session: session.id,
      offset: json.offset,
      chars: (json.data as string).length,
    });
    expect(outputText(frame)).toBe(json.data);
    expect(fast.text.some((message) => message.type === 'pty.output')).toBe(false);
    expect(plain.binary).toHaveLength(0);
  });

  it('reach HubClient listeners as pty.output, and raw clients as bytes', async () => {
    testHub = await startTestHub();
    const owner = await testHub.client();
    const session = await owner.createSession({ command: '/bin/cat' });
    const address = { url: testHub.url, token: testHub.hub.ownerToken };
    const raw = await connectHub(address, { rawOutput: true, autoAck: true });
    cleanups.push(() => raw.close());
    const bytes: Uint8Array[] = [];
    const decoded: string[] = [];
    raw.onOutput((frame) => bytes.push(frame.bytes));
    raw.onMessage((message) => message.type === 'pty.output' && decoded.push(message.data));
    await raw.attach(session.id, 'observe');
    const view = outputOf(owner, session.id);
    await owner.attach(session.id, 'drive');
    await owner.input(session.id, 'ünïcode\r');
    await view.waitFor('ünïcode');
    await waitUntil(() => Buffer.concat(bytes).toString('utf8').includes('ünïcode'), 5000, 'raw bytes');
    expect(decoded).toEqual([]); // rawOutput: no decoding for onMessage
  });

  it('from a client are refused with bad_frame, and the connection keeps working', async () => {
    testHub = await startTestHub();
    const socket = (await rawSocket(`${testHub.url.replace('http', 'ws')}/ws`, {}, [
      BINARY_OUTPUT_PROTOCOL,
    ])) as WebSocket;
    cleanups.push(() => socket.close());
    const replies: Array<Record<string, unknown>> = [];
    socket.on('message', (data: Buffer, isBinary) => {
      if (!isBinary) replies.push(JSON.parse(data.toString()) as Record<string, unknown>);
    });
    socket.send(JSON.stringify({ type: 'auth', id: 1, token: testHub.hub.ownerToken }));
    await waitUntil(() => replies.some((reply) => reply.replyTo === 1), 5000, 'auth');
    // Even a well-formed output frame: clients send JSON text only.
    socket.send(Buffer.from(new Uint8Array([1, 2, 3])));
    socket.send(Buffer.from(encodeOutputFrame('s', 0, 'x')));
    socket.send(JSON.stringify({ type: 'session.list', id: 2 }));
    await waitUntil(() => replies.some((reply) => reply.replyTo === 2), 5000, 'the list');
    expect(replies.filter((reply) => reply.code === 'bad_frame')).toHaveLength(2);
    expect(replies.find((reply) => reply.replyTo === 2)).toMatchObject({ type: 'session.list.result' });
    expect(socket.readyState).toBe(WebSocket.OPEN);
  });
});
