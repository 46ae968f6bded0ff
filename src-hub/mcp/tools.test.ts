// The MCP tools as thin adapters, on a fake router and registry over the SDK's in-memory transport: the
// arguments they take (snake_case, checked by their schemas), what they pass on, what they return, and
// an expected failure as a tool error that says what to fix (issue 14).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { afterEach, describe, expect, it } from 'vitest';
import { HubError, type TaskInfo } from '../../src-protocol/index.js';
import type { SessionRegistry } from '../sessions/registry.js';
import type { Session } from '../sessions/session.js';
import type { TaskRouter } from '../tasks/router.js';
import type { Caller } from '../tasks/routerPorts.js';
import { registerTools } from './tools.js';

const session = (id: string, kind: 'claude' | 'command' = 'claude') =>
  ({
    id,
    name: `${id}-name`,
    kind,
    status: 'idle',
    isEnded: false,
    spec: { cwd: '/work' },
  }) as unknown as Session;

const task = (fields: Partial<TaskInfo> = {}) =>
  ({ id: 't1', toSession: 'target', status: 'queued', result: null, ...fields }) as TaskInfo;

const calls: Array<[string, unknown]> = [];
const lead = session('lead');
const router = {
  reaches: () => (candidate: Session) => candidate.id !== 'hidden',
  delegate: (_caller: Caller, args: unknown) => (calls.push(['delegate', args]), Promise.resolve(task())),
  spawnWorker: (_caller: Caller, args: unknown) => (
    calls.push(['spawnWorker', args]),
    Promise.resolve(task())
  ),
  report: () => Promise.reject(new HubError('not_allowed', 'Task t9 is not assigned to you.')),
  cancel: () => Promise.reject(new Error('a bug')),
} as unknown as TaskRouter;
const registry = {
  list: () => [lead, session('shell', 'command'), session('hidden')],
} as unknown as SessionRegistry;

let client: Client | undefined;

async function connect(): Promise<Client> {
  const server = new McpServer({ name: 'switchboard', version: 'test' });
  registerTools(server, { session: lead, name: 'lead-name' }, { router, registry });
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'test', version: '1' });
  await client.connect(clientSide);
  return client;
}

afterEach(async () => {
  calls.length = 0;
  await client?.close();
});

describe('MCP tools', () => {
  it('list_sessions shows the sessions the caller reaches, marking itself and where it may delegate', async () => {
    const result = await (await connect()).callTool({ name: 'list_sessions', arguments: {} });
    expect(result.structuredContent).toEqual({
      sessions: [
        {
          id: 'lead',
          name: 'lead-name',
          cwd: '/work',
          status: 'idle',
          kind: 'claude',
          you: true,
          can_delegate: false,
        },
        {
          id: 'shell',
          name: 'shell-name',
          cwd: '/work',
          status: 'idle',
          kind: 'command',
          you: false,
          can_delegate: false,
        },
      ],
    });
  });

  it('delegate passes its snake_case arguments on in the router’s names and answers with the task', async () => {
    const result = await (
      await connect()
    ).callTool({
      name: 'delegate',
      arguments: { instructions: 'do it', to: 'other', wait_s: 5, worktree: true },
    });
    expect(calls).toEqual([
      [
        'delegate',
        {
          instructions: 'do it',
          title: undefined,
          to: 'other',
          cwd: undefined,
          waitSeconds: 5,
          worktree: true,
        },
      ],
    ]);
    expect(result.structuredContent).toEqual({
      task_id: 't1',
      session_id: 'target',
      status: 'queued',
      result: null,
    });
  });

  it('delegate and spawn_worker share the arguments of a task (instructions, title, wait_s)', async () => {
    const { tools } = await (await connect()).listTools();
    const schema = (name: string) => tools.find((tool) => tool.name === name)!.inputSchema.properties!;
    for (const shared of ['title', 'wait_s'])
      expect(schema('delegate')[shared]).toEqual(schema('spawn_worker')[shared]);
    expect(Object.keys(schema('delegate'))).toEqual([
      'instructions',
      'title',
      'to',
      'cwd',
      'worktree',
      'wait_s',
    ]);
    expect(Object.keys(schema('spawn_worker'))).toEqual([
      'instructions',
      'title',
      'repo',
      'image',
      'runtime',
      'allowed_tools',
      'wait_s',
    ]);
  });

  it('refuses arguments its schema does not allow, before the router hears of them', async () => {
    const result = await (
      await connect()
    ).callTool({ name: 'spawn_worker', arguments: { instructions: '' } });
    expect(result.isError).toBe(true);
    expect(calls).toEqual([]);
  });

  it('turns an expected failure (a HubError) into a tool error with its code and what to do', async () => {
    const result = await (
      await connect()
    ).callTool({ name: 'report_result', arguments: { status: 'done', summary: 'ok', task_id: 't9' } });
    expect(result).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: 'not_allowed: Task t9 is not assigned to you.' }],
    });
  });

  it('passes a bug (any other error) through unrewritten: no code of an expected failure', async () => {
    const result = await (await connect()).callTool({ name: 'cancel_task', arguments: { task_id: 't1' } });
    // The SDK reports what the tool threw; the hub adds no code to it (codes are for HubErrors).
    expect(result).toEqual({ content: [{ type: 'text', text: 'a bug' }], isError: true });
  });
});
