// The input lease of one session: at most one driver writes at a time; the owner grants and takes over.
import { HubError, type LeaseEvent } from '../../src-protocol/index.js';

export type LeaseChange = Pick<LeaseEvent, 'holder' | 'pending' | 'reason'>;

/** Pure state plus a clock; the session arms the expiry timer from `expiresAt`. */
export class InputLease {
  private holderId: string | null = null;
  private waiting: string[] = [];
  private lastActivity = 0;

  constructor(
    private readonly now: () => number,
    private readonly idleMs: number,
    private readonly onChange: (change: LeaseChange) => void,
  ) {}

  get holder(): string | null {
    return this.holderId;
  }

  get pending(): readonly string[] {
    return this.waiting;
  }

  /** When the current holder loses the lease if it stays idle; undefined when nobody holds it. */
  get expiresAt(): number | undefined {
    return this.holderId === null ? undefined : this.lastActivity + this.idleMs;
  }

  /** A driver's input: allowed if it holds the lease, or takes the lease when nobody holds it. */
  admitDriverInput(clientId: string): void {
    if (this.holderId === null) this.set(clientId, 'auto');
    if (this.holderId !== clientId) {
      throw new HubError(
        'lease_held',
        'Another participant holds the input lease; send lease.request and wait.',
      );
    }
    this.lastActivity = this.now();
  }

  isHolder(clientId: string): boolean {
    return this.holderId === clientId;
  }

  request(clientId: string): void {
    if (this.holderId === null) return this.set(clientId, 'granted');
    if (this.holderId === clientId || this.waiting.includes(clientId)) return;
    this.waiting.push(clientId);
    this.onChange({ holder: this.holderId, pending: [...this.waiting], reason: 'requested' });
  }

  release(clientId: string): void {
    if (this.holderId === clientId) this.set(null, 'released');
  }

  /** The owner hands the lease to a client (usually one that asked). */
  grant(clientId: string): void {
    this.set(clientId, 'granted');
  }

  /** The owner takes the lease: drivers cannot write until the owner releases or grants it. */
  take(ownerClientId: string): void {
    this.set(ownerClientId, 'taken');
  }

  /** A client left: its lease and its place in the queue go. */
  forget(clientId: string): void {
    const queued = this.waiting.includes(clientId);
    this.waiting = this.waiting.filter((id) => id !== clientId);
    if (this.holderId === clientId) this.set(null, 'detached');
    else if (queued) this.onChange({ holder: this.holderId, pending: [...this.waiting], reason: 'detached' });
  }

  /** Drops an idle holder, handing the lease to the first who asked for it; returns true when it did. */
  expireIfIdle(): boolean {
    const expiresAt = this.expiresAt;
    if (expiresAt === undefined || this.now() < expiresAt) return false;
    this.set(this.waiting[0] ?? null, 'expired');
    return true;
  }

  private set(holder: string | null, reason: LeaseChange['reason']): void {
    this.holderId = holder;
    this.lastActivity = this.now();
    if (holder !== null) this.waiting = this.waiting.filter((id) => id !== holder);
    this.onChange({ holder, pending: [...this.waiting], reason });
  }
}
