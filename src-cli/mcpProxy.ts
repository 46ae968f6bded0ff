// `switchboard mcp`: a stdio MCP server that forwards to the running hub, so a Claude Code session the hub
// did not start (`claude mcp add switchboard -- switchboard mcp`) can use the hub's tools as the owner.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { HUB_VERSION } from '../src-hub/version.js';
import type { HubAddress } from './connect.js';

/** Waits up to 600 s happen inside tool calls; leave room on top of that. */
const CALL_TIMEOUT_MS = 660_000;

export async function runMcpProxy(address: HubAddress): Promise<void> {
  const upstream = new Client({ name: 'switchboard-mcp', version: HUB_VERSION });
  await upstream.connect(
    new StreamableHTTPClientTransport(new URL('/mcp', address.url), {
      requestInit: { headers: { Authorization: `Bearer ${address.token}` } },
    }),
  );
  const server = new Server({ name: 'switchboard', version: HUB_VERSION }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, () => upstream.listTools());
  server.setRequestHandler(CallToolRequestSchema, (request) =>
    upstream.callTool(request.params, undefined, { timeout: CALL_TIMEOUT_MS }),
  );
  const transport = new StdioServerTransport();
  await server.connect(transport);
  await new Promise<void>((resolve) => (transport.onclose = resolve));
  await upstream.close();
}
