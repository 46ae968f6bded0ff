// Joins that wait for the owner: an invite made with `approve` holds each connection's `auth` until the
// owner approves it (app prompt, `switchboard approve-join`), refuses it, or 2 minutes pass (issue 10).
import { randomBytes } from 'node:crypto';
import { HubError, type HubMessage, type JoinRequest } from '../../src-protocol/index.js';
import type { Logger } from '../logger.js';
import type { Principal } from './auth.js';

export type JoinOutcome = 'approved' | 'refused' | 'expired' | 'gone';

interface Waiting {
  request: JoinRequest;
  settle(outcome: JoinOutcome): void;
}

export class JoinApprovals {
  private readonly waiting = new Map<string, Waiting>();

  constructor(
    private readonly toOwners: (message: HubMessage) => void,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    /** ms: how long a join waits for the owner (limits.joinApprovalMs); then it is refused, saying so. */
    private readonly timeoutMs: number,
  ) {}

  /** Waits for the owner's answer about this principal's join; `gone` when the joiner left first. */
  get waitMs(): number {
    return this.timeoutMs;
  }

  wait(principal: Principal, address: string, left: AbortSignal): Promise<JoinOutcome> {
    const request: JoinRequest = {
      id: `j-${randomBytes(4).toString('hex')}`,
      invite: principal.credential.replace(/^invite:/, ''),
      name: principal.name ?? principal.credential,
      role: principal.role === 'driver' ? 'driver' : 'observer',
      address,
      expiresAt: new Date(this.now() + this.timeoutMs).toISOString(),
    };
    return new Promise<JoinOutcome>((resolve) => {
      const timer = setTimeout(() => settle('expired'), this.timeoutMs);
      const onLeft = () => settle('gone');
      const settle = (outcome: JoinOutcome) => {
        if (!this.waiting.delete(request.id)) return;
        clearTimeout(timer);
        left.removeEventListener('abort', onLeft);
        this.logger.event('join.settled', { request: request.id, invite: request.invite, outcome });
        this.toOwners({ type: 'join.event', kind: outcome, request });
        resolve(outcome);
      };
      this.waiting.set(request.id, { request, settle });
      left.addEventListener('abort', onLeft, { once: true });
      this.logger.event('join.requested', { request: request.id, invite: request.invite, address });
      this.toOwners({ type: 'join.event', kind: 'pending', request });
    });
  }

  /** `id` is a request's id, or an invite's id (its oldest waiting join). */
  decide(id: string, allow: boolean): JoinRequest {
    const entry =
      this.waiting.get(id) ?? [...this.waiting.values()].find((waiting) => waiting.request.invite === id);
    if (!entry)
      throw new HubError(
        'unknown_invite',
        `No join waits for approval as "${id.slice(0, 64)}"; \`switchboard invites\` lists those that do.`,
      );
    entry.settle(allow ? 'approved' : 'refused');
    return entry.request;
  }

  /** A revoked invite's waiting joins are refused at once. */
  refuseInvite(invite: string): void {
    for (const entry of [...this.waiting.values()])
      if (entry.request.invite === invite) entry.settle('refused');
  }

  list(): JoinRequest[] {
    return [...this.waiting.values()].map((entry) => entry.request);
  }
}
