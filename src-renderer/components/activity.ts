// A session's activity as a person reads it: consecutive inputs by one client become one line ("Bob typed
// 42 characters in 12 inputs"), attaches and detaches stay as they are. Pure, unit-tested.
import type { ActivityEvent } from '../../src-protocol/index.js';

export interface ActivityLine {
  at: string;
  /** The invite's name (or `owner`), else the client id. */
  who: string;
  text: string;
}

const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value : fallback);
const nameOf = (event: ActivityEvent) => text(event.data.name, text(event.data.client, 'someone'));

export function activityLines(events: ActivityEvent[]): ActivityLine[] {
  const lines: ActivityLine[] = [];
  let run: { client: unknown; line: ActivityLine; chars: number; inputs: number } | undefined;
  for (const event of events) {
    if (event.kind === 'session.input') {
      const chars = typeof event.data.chars === 'number' ? event.data.chars : 0;
      if (run && run.client === event.data.client) {
        run.chars += chars;
        run.inputs += 1;
      } else {
        run = {
          client: event.data.client,
          line: { at: event.at, who: nameOf(event), text: '' },
          chars,
          inputs: 1,
        };
        lines.push(run.line);
      }
      run.line.text = `typed ${run.chars} character${run.chars === 1 ? '' : 's'} in ${run.inputs} input${run.inputs === 1 ? '' : 's'}`;
      continue;
    }
    run = undefined;
    const said =
      event.kind === 'invite.created'
        ? `invited as ${text(event.data.role, 'a guest')}`
        : event.kind === 'client.attached'
          ? `attached as ${text(event.data.role, 'a client')}`
          : event.kind === 'client.detached'
            ? event.data.reason === 'disconnected'
              ? 'left (disconnected)'
              : 'detached'
            : event.kind;
    lines.push({ at: event.at, who: nameOf(event), text: said });
  }
  return lines;
}
