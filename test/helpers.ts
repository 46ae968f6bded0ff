// Shared test fixtures: a real hub on loopback in a temporary state directory, and client helpers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HubClient, HubMessage } from '../src-protocol/index.js';
import { createHub, memoryLogger, type Hub, type HubPorts } from '../src-hub/index.js';
import { connectHub } from '../src-cli/connect.js';

export interface TestHub {
  hub: Hub;
  url: string;
  stateDir: string;
  logger: ReturnType<typeof memoryLogger>;
  client(options?: { token?: string; autoAck?: boolean; origin?: string }): Promise<HubClient>;
  close(): Promise<void>;
}

export async function startTestHub(ports: Partial<HubPorts> = {}): Promise<TestHub> {
  const stateDir = mkdtempSync(join(tmpdir(), 'switchboard-test-'));
  const logger = memoryLogger();
  const hub = createHub({ stateDir, logger, defaultCommand: 'bash', ...ports });
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
        { autoAck: options.autoAck ?? true, ...(options.origin ? { origin: options.origin } : {}) },
      );
      clients.push(client);
      return client;
    },
    async close() {
      for (const client of clients) client.close();
      await hub.close();
      rmSync(stateDir, { recursive: true, force: true });
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
    waitFor: (pattern: string | RegExp, timeoutMs = 10_000) => waitUntil(() => (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)), timeoutMs, `output ${String(pattern)}`),
  };
}

export async function waitUntil(predicate: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The path of a small Node script in test/fixtures, run as a session command. */
export const fixture = (name: string) => join(import.meta.dirname, 'fixtures', name);
