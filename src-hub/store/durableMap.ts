// A Map of credentials by digest that survives a hub restart: kept in memory for lookups and written
// through to SQLite (`credentials`), so invites and browser logins still work after the hub starts again.
// Only digests of secrets are stored, never the secrets; entries past `expiresAt` are not loaded.
import type { HubDatabase } from './database.js';

export interface Expiring {
  expiresAt: number;
}

export class DurableMap<V extends Expiring> implements Iterable<[string, V]> {
  private readonly entries = new Map<string, V>();
  private readonly upsert;
  private readonly remove;

  constructor(
    database: HubDatabase,
    private readonly kind: string,
    now: number,
  ) {
    this.upsert = database.prepare(
      'INSERT OR REPLACE INTO credentials (digest, kind, data, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.remove = database.prepare('DELETE FROM credentials WHERE digest = ? AND kind = ?');
    database.prepare('DELETE FROM credentials WHERE kind = ? AND expires_at <= ?').run(kind, now);
    const rows = database.prepare('SELECT digest, data FROM credentials WHERE kind = ?').all(kind) as Array<{
      digest: string;
      data: string;
    }>;
    for (const row of rows) this.entries.set(row.digest, JSON.parse(row.data) as V);
  }

  get(digest: string): V | undefined {
    return this.entries.get(digest);
  }

  set(digest: string, value: V): this {
    this.entries.set(digest, value);
    this.upsert.run(digest, this.kind, JSON.stringify(value), value.expiresAt);
    return this;
  }

  delete(digest: string): boolean {
    this.remove.run(digest, this.kind);
    return this.entries.delete(digest);
  }

  [Symbol.iterator](): Iterator<[string, V]> {
    return [...this.entries][Symbol.iterator]();
  }
}
