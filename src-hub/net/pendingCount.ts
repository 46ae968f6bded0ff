// Connections that have not proved anything yet (an unauthenticated WebSocket, an unfinished TLS handshake),
// per address and in all: strangers get a bounded share and cannot crowd out everyone else.

export class PendingCount {
  private readonly byAddress = new Map<string, number>();
  total = 0;

  count(address: string): number {
    return this.byAddress.get(address) ?? 0;
  }

  /** Whether one more from `address` would pass either cap (read at each call: limits may change). */
  full(address: string, perAddress: number, overall: number): boolean {
    return this.count(address) >= perAddress || this.total >= overall;
  }

  /** Counts one; the returned function uncounts it (once, however often it is called). */
  add(address: string): () => void {
    this.byAddress.set(address, this.count(address) + 1);
    this.total++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.total--;
      const left = this.count(address) - 1;
      if (left > 0) this.byAddress.set(address, left);
      else this.byAddress.delete(address);
    };
  }
}
