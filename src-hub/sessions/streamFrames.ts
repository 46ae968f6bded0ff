// The frames of a session's stream, as every subscriber shares them (attach/subscription.ts).
import type { HubMessage } from '../../src-protocol/index.js';
import type { StreamFrame } from '../attach/subscription.js';

/** An output frame; its JSON is made by the first client that takes JSON (binary clients and client
 * terminals never need it: issue 12). */
export function outputFrame(session: string, offset: number, data: string): StreamFrame {
  let json: string | undefined;
  return {
    get json() {
      return (json ??= JSON.stringify({ type: 'pty.output', session, offset, data } satisfies HubMessage));
    },
    offset,
    chars: data.length,
    output: { session, data },
  };
}

/** The exit notice, in stream order after the output before `offset`. */
export const exitNotice = (
  session: string,
  exitCode: number | null,
  signal: number | null,
  offset: number,
): StreamFrame => ({
  json: JSON.stringify({ type: 'pty.exit', session, exitCode, signal } satisfies HubMessage),
  offset,
  chars: 0,
});
