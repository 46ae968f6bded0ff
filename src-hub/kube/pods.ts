// Listing worker pods (any hub's) for `switchboard worker ls`: the same rows as Docker's containers, plus
// the node and phase; read with the kubeconfig the hub would use, no hub needed. Deleting one with its Secret.
import type { WorkerContainer } from '../workers/docker.js';
import { LABEL } from '../workers/labels.js';
import { kubeconfigPath, connectKube, isNotFound, kubeFailure, type KubeClient } from './client.js';
import { secretName } from './manifests.js';
import { placeOf } from './podStatus.js';
import type { KubeSettings } from './settings.js';

export interface WorkerPod extends WorkerContainer {
  runtime: 'kubernetes';
  node: string | null;
  phase: string;
}

/** Whether a kubeconfig (or a cluster around this process) is there to ask at all. */
export const kubeConfigured = (settings: KubeSettings, env: NodeJS.ProcessEnv): boolean =>
  kubeconfigPath(settings, env) !== undefined || Boolean(env.KUBERNETES_SERVICE_HOST);

export async function listWorkerPods(settings: KubeSettings, env: NodeJS.ProcessEnv): Promise<WorkerPod[]> {
  const client = await connectKube(settings, env);
  const list = await client.core
    .listNamespacedPod({ namespace: settings.namespace, labelSelector: LABEL.session })
    .catch((error: unknown) => {
      throw kubeFailure(error, `listing pods in namespace ${settings.namespace}`, client.server);
    });
  return list.items.map((pod) => {
    const labels = pod.metadata?.labels ?? {};
    const notes = pod.metadata?.annotations ?? {};
    const { node, phase } = placeOf(pod);
    return {
      id: pod.metadata?.name ?? '',
      name: notes[LABEL.name] ?? pod.metadata?.name ?? '',
      image: pod.spec?.containers[0]?.image ?? '',
      state: phase.toLowerCase(),
      status: pod.status?.reason ?? phase,
      hub: labels[LABEL.hub] ?? '',
      session: labels[LABEL.session] ?? '',
      task: labels[LABEL.task] || null,
      parent: labels[LABEL.parent] || null,
      depth: Number(notes[LABEL.depth]) || 1,
      createdAt: new Date(pod.metadata?.creationTimestamp ?? 0).toISOString(),
      runtime: 'kubernetes',
      node,
      phase,
    };
  });
}

/** Deletes a worker's pod and its Secret (which goes with the pod anyway: the pod owns it); gone is fine. */
export async function deleteWorkerPod(
  client: KubeClient,
  namespace: string,
  worker: { pod: string; session: string },
  onError: (what: string, error: unknown) => void,
  gracePeriodSeconds?: number,
): Promise<void> {
  const quiet = (what: string) => (error: unknown) => {
    if (!isNotFound(error)) onError(what, error);
  };
  await client.core
    .deleteNamespacedPod({
      name: worker.pod,
      namespace,
      ...(gracePeriodSeconds === undefined ? {} : { gracePeriodSeconds }),
    })
    .catch(quiet('worker.delete-pod'));
  await client.core
    .deleteNamespacedSecret({ name: secretName(worker.session), namespace })
    .catch(quiet('worker.delete-secret'));
}
