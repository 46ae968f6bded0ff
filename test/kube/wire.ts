// The stand-in API server's wire helpers: Status objects, equality label selectors, request bodies.
import type { IncomingMessage } from 'node:http';

export type Json = Record<string, unknown>;

export function status(code: number, reason: string, message: string, details: Json = {}): Json {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    details,
    code,
  };
}

export function matches(labels: Record<string, string> | undefined, selector: string | null): boolean {
  if (!selector) return true;
  return selector.split(',').every((term) => {
    if (!/[=!]/.test(term)) return labels?.[term] !== undefined; // an existence selector: "key"
    const [key, value] = term.split(/!?==?/) as [string, string?];
    const equal = (labels?.[key] ?? undefined) === value;
    return term.includes('!=') ? !equal : equal;
  });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
