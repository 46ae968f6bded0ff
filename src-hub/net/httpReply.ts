// JSON over plain HTTP, one way for every route: replies, coded refusals, and request bodies read with a cap.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HubError } from '../../src-protocol/index.js';

/** A JSON reply that is never cached; nothing is written once headers went out (a fault mid-reply). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  response.end(JSON.stringify(body));
}

/** A coded refusal, shaped like the WebSocket's error frame. */
export function sendError(
  response: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(response, status, { type: 'error', code, message }, headers);
}

/**
 * The request's JSON body (undefined when empty). Over `limitBytes` it rejects with `frame_too_large` and
 * stops reading; a body that is not JSON rejects with `bad_frame`.
 */
export function readJsonBody(request: IncomingMessage, limitBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) return void chunks.push(chunk);
      reject(new HubError('frame_too_large', `Request body over ${limitBytes} bytes.`));
      request.destroy();
    });
    request.on('end', () => {
      try {
        resolve(chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HubError('bad_frame', 'Request body is not valid JSON.'));
      }
    });
    request.on('error', reject);
    request.on('close', () => reject(new HubError('bad_frame', 'The request ended before its body.')));
  });
}
