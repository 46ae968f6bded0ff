// Shared test fixtures: a real hub on loopback in a temporary state directory, and client helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import xtermHeadless from '@xterm/headless';
import xtermSerialize from '@xterm/addon-serialize';
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { createHub, memoryLogger, type Hub, type HubPorts } from '../src-hub/index.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectHub } from '../src-cli/connect.js';

const { Terminal } = xtermHeadless;
const { SerializeAddon } = xtermSerialize;

export interface TestHub {
  hub: Hub;
  url: string;
  stateDir: string;
  logger: ReturnType<typeof memoryLogger>;
  client(options?: {
    token?: string;
    autoAck?: boolean;
    origin?: string;
    rawOutput?: boolean;
  }): Promise<HubClient>;
  close(): Promise<void>;
}

/** A hub on loopback; with `stateDir` given, that directory is the caller's to remove (for restarts). */
export async function startTestHub(ports: Partial<HubPorts> = {}): Promise<TestHub> {
  const ownState = ports.stateDir === undefined;
  const stateDir = ports.stateDir ?? mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const logger = memoryLogger();
  const hub = createHub({ logger, ...ports, stateDir });
  const url = await hub.listen({ port: 0 });
  const clients: HubClient[] = [];
  return {
    hub,
    url,
    stateDir,
    logger,
    async client(options = {}) {
      const client = await connectHub(
        { url, token: options.token ?? hub.ownerToken },
        {
          autoAck: options.autoAck ?? true,
          ...(options.origin ? { origin: options.origin } : {}),
          ...(options.rawOutput ? { rawOutput: true } : {}),
        },
      );
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await hub.close();
      if (ownState) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** Accumulates a session's output as one client sees it (snapshot data excluded). */
export function outputOf(client: HubClient, session: string) {
  let text = '';
  const messages: HubMessage[] = [];
  client.onMessage((message) => {
    if ('session' in message && message.session === session) messages.push(message);
    if (message.type === 'pty.output' && message.session === session) text += message.data;
  });
  return {
    messages,
    get text() {
      return text;
    },
    waitFor: (pattern: string | RegExp, timeoutMs = 10_000) =>
      waitUntil(
        () => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)),
        timeoutMs,
        `output ${String(pattern)}`,
      ),
  };
}

export async function waitUntil(
  predicate: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The path of a small Node script in test/fixtures, run as a session command. */
export const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);

/**
 * What a real client does with the stream: a headless xterm fed with the snapshot (and any resync
 * snapshot), then live output in offset order, acking after parse.
 */
export function terminalView(client: HubClient, session: string, options: { ack?: boolean } = {}) {
  let terminal: InstanceType<typeof Terminal> | undefined;
  let serializer: InstanceType<typeof SerializeAddon> | undefined;
  let expectedOffset = -1;
  let snapshots = 0;
  const gaps: string[] = [];
  client.onMessage((message) => {
    if (!('session' in message) || message.session !== session) return;
    if (message.type === 'pty.snapshot') {
      terminal?.dispose();
      terminal = new Terminal({
        cols: message.cols,
        rows: message.rows,
        scrollback: 1000,
        allowProposedApi: true,
      });
      serializer = new SerializeAddon();
      terminal.loadAddon(serializer);
      terminal.write(message.data);
      expectedOffset = message.offset;
      snapshots++;
    } else if (message.type === 'pty.output' && terminal) {
      if (message.offset !== expectedOffset) gaps.push(`expected ${expectedOffset}, got ${message.offset}`);
      expectedOffset = message.offset + message.data.length;
      const chars = message.data.length;
      terminal.write(message.data, () => options.ack !== false && client.ack(session, chars));
    } else if (message.type === 'pty.resized' && terminal) {
      const { cols, rows } = message;
      const target = terminal;
      target.write('', () => target.resize(cols, rows));
    }
  });
  const parsed = () => new Promise<void>((resolve) => (terminal ? terminal.write('', resolve) : resolve()));
  return {
    get terminal() {
      return terminal;
    },
    get snapshots() {
      return snapshots;
    },
    gaps,
    /** The visible screen, serialized (colours, cursor and all). */
    async screen(): Promise<string> {
      await parsed();
      return serializer?.serialize({ scrollback: 0 }) ?? '';
    },
    async text(): Promise<string[]> {
      await parsed();
      const buffer = terminal!.buffer.active;
      return Array.from(
        { length: terminal!.rows },
        (_, row) => buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '',
      );
    },
  };
}

/** Polls the hub's mirror until the session's screen shows `text`. */
export async function waitForScreen(
  client: HubClient,
  session: string,
  text: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if ((await client.screen(session)).lines.join('\n').includes(text)) return;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for "${text}" on screen`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** An MCP SDK client on the hub's /mcp endpoint, as the session holding `token`. */
export async function mcpClient(url: string, token: string): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}
