// Reading a worker pod's status: wait until it runs (or say clearly why it will not: an image that cannot
// be pulled, a bad spec, no node, too slow), and once it has ended, the sentence that says why.
import type * as Kube from '@kubernetes/client-node';
import { HubError } from '../../src-protocol/index.js';
import { isNotFound, kubeFailure, type KubeClient } from './client.js';
import type { KubeSettings } from './settings.js';

/** Waiting reasons that never resolve by themselves: the worker fails at once instead of at the timeout. */
const IMAGE_FAILURES = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);
const SPEC_FAILURES = new Set(['CreateContainerError', 'RunContainerError']);

export type PodView = Pick<Kube.V1Pod, 'status' | 'spec'>;

/** The node and phase `worker ls` shows. */
export function placeOf(pod: PodView): { node: string | null; phase: string } {
  return { node: pod.spec?.nodeName ?? null, phase: pod.status?.phase ?? 'Unknown' };
}

function waitingOf(pod: PodView): { reason?: string; message?: string } | undefined {
  return pod.status?.containerStatuses?.[0]?.state?.waiting;
}

/** A HubError when the pod will not start by itself; undefined while it still may. */
export function startFailure(pod: PodView, name: string, image: string): HubError | undefined {
  const waiting = waitingOf(pod);
  if (waiting?.reason && IMAGE_FAILURES.has(waiting.reason))
    return new HubError(
      'image_not_found',
      `Worker pod ${name} cannot pull image "${image}" (${waiting.reason}: ${waiting.message ?? 'no detail'}). ` +
        'Push the image where the cluster pulls from (SWITCHBOARD_KUBE_IMAGE), or add an imagePullSecret ' +
        "to the namespace's service account.",
    );
  if (waiting?.reason && SPEC_FAILURES.has(waiting.reason))
    return new HubError(
      'kubernetes_unavailable',
      `Worker pod ${name} cannot start its container (${waiting.reason}: ${waiting.message ?? 'no detail'}).`,
    );
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded')
    return new HubError(
      'kubernetes_unavailable',
      `Worker pod ${name} ended before the hub could attach (${phase}` +
        `${pod.status?.reason ? `, ${pod.status.reason}` : ''}): ${endReason(pod, name) ?? 'no reason given'}`,
    );
  return undefined;
}

/** Polls the pod until its container runs; throws a HubError when it cannot or does not in time. */
export async function waitForRunning(
  client: KubeClient,
  settings: KubeSettings,
  name: string,
  image: string,
): Promise<PodView> {
  const deadline = Date.now() + settings.startTimeoutSeconds * 1000;
  let last: PodView | undefined;
  for (;;) {
    try {
      last = await client.core.readNamespacedPod({ name, namespace: settings.namespace });
    } catch (error) {
      if (isNotFound(error))
        throw new HubError('kubernetes_unavailable', `Worker pod ${name} was deleted before it started.`);
      throw kubeFailure(error, `reading pod ${name}`, client.server);
    }
    const failure = startFailure(last, name, image);
    if (failure) throw failure;
    if (last.status?.phase === 'Running' && last.status.containerStatuses?.[0]?.state?.running) return last;
    if (Date.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, settings.pollIntervalMs));
  }
  const waiting = last ? waitingOf(last) : undefined;
  const condition = last?.status?.conditions?.find((item) => item.status === 'False' && item.message);
  throw new HubError(
    'timeout',
    `Worker pod ${name} did not start within ${settings.startTimeoutSeconds} s ` +
      `(phase ${last?.status?.phase ?? 'unknown'}` +
      `${waiting?.reason ? `, ${waiting.reason}` : ''}${condition ? `: ${condition.message}` : ''}). ` +
      'Check that a node can take its requests and selector (SWITCHBOARD_KUBE_START_TIMEOUT_S waits longer).',
  );
}

/** Why an ended pod ended, when it was not a plain exit 0; undefined for a clean exit. */
export function endReason(pod: PodView, name: string): string | undefined {
  if (pod.status?.reason === 'DeadlineExceeded')
    return `Worker pod ${name} passed its activeDeadlineSeconds (the tree's deadline) and was stopped by Kubernetes.`;
  if (pod.status?.reason === 'Evicted')
    return `Worker pod ${name} was evicted by Kubernetes: ${pod.status.message ?? 'no detail'}.`;
  const terminated = pod.status?.containerStatuses?.[0]?.state?.terminated;
  if (!terminated) return undefined;
  if (terminated.reason === 'OOMKilled')
    return `Worker pod ${name} ran out of memory (its limit, SWITCHBOARD_KUBE_MEMORY_LIMIT) and was killed.`;
  if (terminated.exitCode === 0) return undefined;
  return `Worker pod ${name} exited with status ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}.`;
}

/** The exit code of an ended pod's container; 255 when it shows none. */
export const exitCodeOf = (pod: PodView): number =>
  pod.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? 255;
