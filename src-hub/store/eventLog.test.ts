// The event table's deferred rows (issue 12): written together a little later, never out of order, never lost
// at close.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type HubDatabase } from './database.js';
import { EventLog } from './eventLog.js';

let dir: string;
let database: HubDatabase;

afterEach(() => {
  vi.useRealTimers();
  if (database?.open) database.close();
  rmSync(dir, { recursive: true, force: true });
});

function open() {
  dir = mkdtempSync(join(tmpdir(), 'sb-events-'));
  database = openDatabase(dir);
  return new EventLog(database);
}

const kinds = () =>
  (database.prepare('SELECT kind FROM events ORDER BY id').all() as Array<{ kind: string }>).map(
    (r) => r.kind,
  );

describe('EventLog.defer', () => {
  it('writes deferred rows together after the delay, and runs their callbacks then', async () => {
    vi.useFakeTimers();
    const events = open();
    const logged: string[] = [];
    events.defer('session.input', { session: 's1', chars: 1 }, 3, () => logged.push('a'));
    events.defer('session.input', { session: 's1', chars: 2 }, 3, () => logged.push('b'));
    expect(kinds()).toEqual([]);
    expect(logged).toEqual([]);
    await vi.advanceTimersByTimeAsync(5);
    expect(kinds()).toEqual(['session.input', 'session.input']);
    expect(logged).toEqual(['a', 'b']);
    expect(events.recent('s1', 10).map((event) => event.data.chars)).toEqual([1, 2]);
  });

  it('stamps a deferred row with the time it was recorded, not the time it was written', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-02T10:00:00.000Z') });
    const events = open();
    events.defer('session.input', { session: 's1', chars: 1 }, 250);
    await vi.advanceTimersByTimeAsync(300);
    expect(events.recent('s1', 1)[0]).toMatchObject({ at: '2026-12-02T10:00:00.000Z', data: { chars: 1 } });
  });

  it('keeps the order things happened in: a later record writes the deferred rows first', () => {
    const events = open();
    events.defer('session.input', { session: 's1' }, 1_000);
    events.record('session.killed', { session: 's1' });
    expect(kinds()).toEqual(['session.input', 'session.killed']);
  });

  it('reads include rows not yet written, and flush before close loses none', () => {
    const events = open();
    events.defer('session.input', { session: 's1', chars: 5 }, 1_000);
    expect(events.recent('s1', 10)).toHaveLength(1);
    events.defer('session.input', { session: 's1', chars: 6 }, 1_000);
    events.flush();
    database.close();
    database = openDatabase(dir);
    expect(kinds()).toEqual(['session.input', 'session.input']);
  });
});
