// A scripted stand-in for the Anthropic Messages API on 127.0.0.1 (reference/claude-code.md §9): it answers
// Claude Code's streaming requests by rules keyed on the prompt, so a real Claude Code calls the hub's tools.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Block = { type: string; text?: string; content?: unknown; tool_use_id?: string };
type Message = { role: string; content: string | Block[] };

/** What the model does for a prompt: call a tool with input, or answer with text. */
export type Reply = { tool: string; input: Record<string, unknown> } | { text: string };
export type Rule = (prompt: string) => Reply | undefined;

export interface RecordedRequest {
  session: string | undefined;
  prompt: string;
  toolResult: string | undefined;
  /** The text of every message the request carried: the conversation so far. */
  history: string;
  /** When it was answered (ms since the epoch). */
  at: number;
  /** The tool the reply called, if any. */
  calledTool: string | undefined;
}

const textOf = (content: unknown): string => {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as Block[])
    .map((block) => (block.type === 'text' ? (block.text ?? '') : textOf(block.content)))
    .join('\n');
};

function sse(response: ServerResponse, reply: Reply, id: number): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'request-id': `req_mock_${id}` });
  const send = (event: string, data: unknown) =>
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send('message_start', {
    type: 'message_start',
    message: {
      id: `msg_mock_${id}`,
      type: 'message',
      role: 'assistant',
      model: 'claude-scripted',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: 10,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
  if ('text' in reply) {
    send('content_block_start', {
      type: 'content_block_start',
      index: 0,
      content_block: { type: 'text', text: '' },
    });
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'text_delta', text: reply.text },
    });
    send('content_block_stop', { type: 'content_block_stop', index: 0 });
  } else {
    const block = { type: 'tool_use', id: `toolu_mock_${id}`, name: reply.tool, input: {} };
    send('content_block_start', { type: 'content_block_start', index: 0, content_block: block });
    const json = JSON.stringify(reply.input);
    send('content_block_delta', {
      type: 'content_block_delta',
      index: 0,
      delta: { type: 'input_json_delta', partial_json: json },
    });
    send('content_block_stop', { type: 'content_block_stop', index: 0 });
  }
  const stopReason = 'text' in reply ? 'end_turn' : 'tool_use';
  send('message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: { output_tokens: 20 },
  });
  send('message_stop', { type: 'message_stop' });
  response.end();
}

export async function startModelServer(rules: Rule[]) {
  const requests: RecordedRequest[] = [];
  let counter = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const path = (request.url ?? '').split('?')[0];
      if (request.method === 'HEAD') return void response.writeHead(200).end();
      if (path === '/v1/messages/count_tokens') {
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"input_tokens":42}');
        return;
      }
      if (path !== '/v1/messages') {
        response
          .writeHead(404, { 'content-type': 'application/json' })
          .end('{"type":"error","error":{"type":"not_found_error"}}');
        return;
      }
      const parsed = JSON.parse(body) as { messages: Message[]; tools?: unknown[] };
      const lastUser = [...parsed.messages].reverse().find((message) => message.role === 'user');
      const blocks =
        typeof lastUser?.content === 'string'
          ? [{ type: 'text', text: lastUser.content }]
          : (lastUser?.content ?? []);
      const toolResult = blocks.find((block) => block.type === 'tool_result');
      const prompt = textOf(blocks);
      const session = request.headers['x-claude-code-session-id'] as string | undefined;
      let reply: Reply;
      if (!parsed.tools || parsed.tools.length === 0)
        reply = { text: '{"title":"Scripted session"}' }; // side queries
      else if (toolResult) reply = { text: `Tool said: ${textOf(toolResult.content).replace(/\s+/g, ' ')}` };
      else
        reply = rules.map((rule) => rule(prompt)).find((found) => found !== undefined) ?? {
          text: 'Hello from the scripted model.',
        };
      requests.push({
        session,
        prompt,
        toolResult: toolResult ? textOf(toolResult.content) : undefined,
        history: parsed.messages.map((message) => textOf(message.content)).join('\n'),
        at: Date.now(),
        calledTool: 'tool' in reply ? reply.tool : undefined,
      });
      sse(response, reply, ++counter);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
