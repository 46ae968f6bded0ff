// Credentials kept across restarts: written through to SQLite, loaded again by kind, expired ones dropped.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type HubDatabase } from './database.js';
import { DurableMap } from './durableMap.js';

let dir: string;
let database: HubDatabase;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchboard-durable-'));
  database = openDatabase(dir);
});
afterEach(() => {
  database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('DurableMap', () => {
  it('keeps what was set and not what was deleted, per kind, and drops expired entries on load', () => {
    const invites = new DurableMap<{ expiresAt: number; role: string }>(database, 'invite', 1000);
    invites.set('a', { expiresAt: 5000, role: 'observer' });
    invites.set('b', { expiresAt: 5000, role: 'driver' });
    invites.set('old', { expiresAt: 2000, role: 'observer' });
    invites.delete('b');
    new DurableMap<{ expiresAt: number }>(database, 'web', 1000).set('a', { expiresAt: 9000 });

    const reloaded = new DurableMap<{ expiresAt: number; role: string }>(database, 'invite', 3000);
    expect([...reloaded]).toEqual([['a', { expiresAt: 5000, role: 'observer' }]]);
    expect(reloaded.get('old')).toBeUndefined();
    expect(new DurableMap(database, 'web', 3000).get('a')).toEqual({ expiresAt: 9000 });
  });
});
