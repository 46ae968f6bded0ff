// The MCP endpoint (Streamable HTTP, stateless): every POST /mcp gets a fresh server bound to its caller.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Caller } from '../tasks/routerPorts.js';
import { HUB_VERSION } from '../version.js';
import { registerTools, type ToolContext } from './tools.js';

export async function handleMcpRequest(
  request: IncomingMessage,
  response: ServerResponse,
  body: unknown,
  caller: Caller,
  context: ToolContext,
): Promise<void> {
  const server = new McpServer({ name: 'switchboard', version: HUB_VERSION });
  registerTools(server, caller, context);
  // Stateless: no MCP session id, JSON responses. Each request carries its own bearer token.
  const transport = new StreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  response.on('close', () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(request, response, body);
}
