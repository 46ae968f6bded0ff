// Pods of a hub that is gone (docs/kubernetes.md, "Hubs that are gone"): every hub with a cluster renews a
// Lease named after it (coordination.k8s.io, holder = its hub id); a hub finding worker pods of another hub
// whose Lease was not renewed for longer than the grace (or that has none, for pods older than the grace)
// deletes them with their Secrets, and the stale Lease. A hub that comes back within the grace adopts its
// own pods again (adoption.ts).
import type { Logger } from '../logger.js';
import { LABEL } from '../workers/labels.js';
import { isNotFound, type KubeClient } from './client.js';
import { deleteWorkerPod } from './pods.js';

/** The Lease a hub renews while it runs. */
export const leaseName = (hubId: string) => `switchboard-hub-${hubId.toLowerCase()}`.slice(0, 63);

/** ms: the shortest and longest time between two renewals (a third of the grace in between). */
const RENEW_MIN_MS = 500;
const RENEW_MAX_MS = 60_000;

export interface ReaperDeps {
  client: KubeClient;
  namespace: string;
  hubId: string;
  /** s: how long another hub's Lease may go unrenewed before its pods are deleted. */
  graceSeconds: number;
  now: () => number;
  logger: Logger;
}

export class GoneHubReaper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** Other hubs' Leases as last seen: their renewTime, and when this hub saw it change. */
  private readonly observed = new Map<string, { at: number; renewTime: string | null }>();

  constructor(private readonly deps: ReaperDeps) {}

  /** Renews this hub's Lease and looks for gone hubs' pods now, then every third of the grace. */
  start(): Promise<void> {
    const every = Math.min(RENEW_MAX_MS, Math.max(RENEW_MIN_MS, (this.deps.graceSeconds * 1000) / 3));
    this.timer = setInterval(() => void this.tick(), every);
    this.timer.unref();
    return this.tick();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): Promise<void> {
    // One round at a time: a slow API server never has two rounds in flight.
    this.running ??= this.renew()
      .then(() => this.reap())
      .catch((error: unknown) => this.deps.logger.error('worker.reaper', error, { hub: this.deps.hubId }))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async renew(): Promise<void> {
    const { client, namespace, hubId, graceSeconds, now } = this.deps;
    const name = leaseName(hubId);
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace, labels: { [LABEL.hub]: hubId } },
      spec: {
        holderIdentity: hubId,
        leaseDurationSeconds: graceSeconds,
        renewTime: new client.kube.V1MicroTime(now()),
      },
    };
    const leases = this.leases();
    const current = await this.readLease(name);
    if (!current) await leases.createNamespacedLease({ namespace, body });
    else
      await leases.replaceNamespacedLease({
        name,
        namespace,
        body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata?.resourceVersion } },
      });
  }

  private leases() {
    return this.deps.client.config.makeApiClient(this.deps.client.kube.CoordinationV1Api);
  }

  /** A Lease, or undefined when there is none. */
  private async readLease(name: string) {
    try {
      return await this.leases().readNamespacedLease({ name, namespace: this.deps.namespace });
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * When this hub last saw another hub's Lease change (by its own clock, as Kubernetes' leader election
   * does: no trust in the other machine's clock), or first saw it missing; null while it has no Lease.
   */
  private async lastChange(hubId: string): Promise<{ at: number; renewTime: string | null }> {
    const renewed = (await this.readLease(leaseName(hubId)))?.spec?.renewTime;
    const renewTime = renewed === undefined ? null : JSON.stringify(renewed); // compared, never parsed
    const known = this.observed.get(hubId);
    if (known && known.renewTime === renewTime) return known;
    const change = { at: this.deps.now(), renewTime };
    this.observed.set(hubId, change);
    return change;
  }

  private async reap(): Promise<void> {
    const { client, namespace, hubId, graceSeconds, now, logger } = this.deps;
    const graceMs = graceSeconds * 1000;
    const pods = await client.core.listNamespacedPod({ namespace, labelSelector: LABEL.hub });
    const byHub = new Map<string, typeof pods.items>();
    for (const pod of pods.items) {
      const owner = pod.metadata?.labels?.[LABEL.hub];
      if (owner && owner !== hubId) byHub.set(owner, [...(byHub.get(owner) ?? []), pod]);
    }
    for (const [owner, owned] of byHub) {
      const seen = await this.lastChange(owner);
      const old = (pod: (typeof owned)[number]) =>
        now() - new Date(pod.metadata?.creationTimestamp ?? 0).getTime() > graceMs;
      // Unchanged (or missing) for longer than the grace, as this hub watched it: that hub is gone. Without
      // a Lease (a hub that never renewed one), only pods older than the grace count as left behind.
      const stale = now() - seen.at > graceMs;
      const gone = !stale ? [] : seen.renewTime === null ? owned.filter(old) : owned;
      for (const pod of gone) {
        const name = pod.metadata?.name ?? '';
        const session = pod.metadata?.labels?.[LABEL.session] ?? '';
        logger.event('worker.reaped', { pod: name, hub: owner, session, lastRenewed: seen.renewTime });
        await deleteWorkerPod(client, namespace, { pod: name, session }, (what, error) =>
          logger.error(what, error, { session }),
        );
      }
      if (seen.renewTime !== null && gone.length === owned.length)
        await this.leases()
          .deleteNamespacedLease({ name: leaseName(owner), namespace })
          .catch(() => undefined);
    }
    // Hubs with no pods left are not watched any longer.
    for (const owner of this.observed.keys()) if (!byHub.has(owner)) this.observed.delete(owner);
  }
}
