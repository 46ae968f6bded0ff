// On hub start: this hub's worker pods (found by the hub label) are attached again and adopted as
// sessions — their screen restored from the one the hub saved, their token accepted by its hash — and pods
// that ended while the hub was down close their tasks and are deleted with their Secrets.
import type { AdoptSpec } from '../sessions/registry.js';
import { infoOf, recordFromLabels } from '../workers/labels.js';
import type { KubeClient } from './client.js';
import { kubeFailure } from './client.js';
import { attachPod, type PodAttachment } from './kubePty.js';
import { hubSelector, type KubeRecord } from './manifests.js';
import { endReason, placeOf } from './podStatus.js';

/** What adoption asks of the Kubernetes runtime (runtime.ts implements it). */
export interface AdoptingPods {
  hubId: string;
  namespace: string;
  hasSession(id: string): boolean;
  /** Takes a running pod back: budgets, token, deadline, and the session with its attachment. */
  adopt(record: KubeRecord, attachment: PodAttachment, spec: AdoptSpec): void;
  /** Deletes an ended pod and its Secret. */
  remove(record: KubeRecord): Promise<void>;
  onGone(sessionId: string, reason: string): void;
}

export async function adoptPods(client: KubeClient, deps: AdoptingPods): Promise<string[]> {
  const list = await client.core
    .listNamespacedPod({ namespace: deps.namespace, labelSelector: hubSelector(deps.hubId) })
    .catch((error: unknown) => {
      throw kubeFailure(error, 'listing this hub’s worker pods', client.server);
    });
  const adopted: string[] = [];
  for (const pod of list.items) {
    const name = pod.metadata?.name ?? '';
    const container = pod.spec?.containers[0];
    const found = recordFromLabels(name, container?.image ?? '', pod.metadata?.annotations ?? {});
    if (!found || deps.hasSession(found.session)) continue;
    const record: KubeRecord = { ...found, runtime: 'kubernetes', ...placeOf(pod) };
    const running = pod.status?.containerStatuses?.[0]?.state?.running !== undefined;
    if (!running) {
      deps.onGone(
        record.session,
        endReason(pod, name) ?? `Worker pod ${name} ended while the hub was down (${record.phase}).`,
      );
      await deps.remove(record);
      continue;
    }
    const attachment = await attachPod(client, deps.namespace, name, record);
    const env = Object.fromEntries(
      (container?.env ?? []).flatMap((variable) =>
        variable.value === undefined ? [] : [[variable.name, variable.value]],
      ),
    );
    const [command = 'claude', ...args] = container?.args ?? [];
    deps.adopt(record, attachment, {
      id: record.session,
      name: record.name,
      kind: 'claude',
      command,
      args,
      cwd: record.repo,
      env,
      cols: record.cols,
      rows: record.rows,
      worker: { ...infoOf(record), runtime: 'kubernetes', node: record.node, phase: record.phase },
    });
    adopted.push(record.session);
  }
  return adopted;
}
