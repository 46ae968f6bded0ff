// A Kubernetes worker as plain objects: its Pod (the worker image on a TTY, labels to find it, annotations
// to rebuild its place in the tree) and its Secret (the session token and other credentials, owned by the
// pod so the cluster deletes it with the pod). Nothing here talks to a cluster.
import { LABEL, labelsFor, type WorkerRecord } from '../workers/labels.js';
import type { KubeSettings } from './settings.js';

/** The pod's one container. */
export const CONTAINER = 'worker';
/** Where the worker starts inside the pod (the image's working directory for the repository). */
export const WORKDIR = '/workspace';
/** The Secret key that holds each secret variable: the variable's own name. */
const SECRET_VARIABLE = /(TOKEN|KEY|SECRET|PASSWORD|CREDENTIAL)/i;

/** The labels a pod is selected by (values Kubernetes accepts: ids, or empty); the rest are annotations. */
export const SELECTOR_LABELS = [LABEL.hub, LABEL.session, LABEL.root, LABEL.parent, LABEL.task] as const;

export const podName = (session: string) => `switchboard-worker-${session.toLowerCase()}`.slice(0, 63);
export const secretName = (session: string) => `${podName(session).slice(0, 56)}-secret`;

/** Label selector for every pod (and secret) of this hub. */
export const hubSelector = (hubId: string) => `${LABEL.hub}=${hubId}`;

/** A pod worker's record: a Docker worker's (the pod's name as `container`), plus where it runs. */
export interface KubeRecord extends WorkerRecord {
  node: string | null;
  phase: string;
}

export interface PodInput {
  hubId: string;
  record: WorkerRecord;
  settings: KubeSettings;
  /** The image's entrypoint (the worker agent) runs these: the command and its arguments. */
  args: string[];
  env: Record<string, string>;
  /** s: the tree's deadline from now, as the pod's activeDeadlineSeconds. */
  deadlineSeconds: number;
}

export interface Manifest {
  apiVersion: 'v1';
  kind: string;
  metadata: {
    name: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string }>;
  };
  [key: string]: unknown;
}

function selectorLabels(hubId: string, record: WorkerRecord): Record<string, string> {
  const all = labelsFor(hubId, record);
  return Object.fromEntries(SELECTOR_LABELS.map((key) => [key, all[key] ?? '']));
}

/** Splits an environment into plain variables and those that must travel only in the Secret. */
export function splitSecrets(env: Record<string, string>): {
  plain: Record<string, string>;
  secret: Record<string, string>;
} {
  const plain: Record<string, string> = {};
  const secret: Record<string, string> = {};
  for (const [name, value] of Object.entries(env))
    (SECRET_VARIABLE.test(name) ? secret : plain)[name] = value;
  return { plain, secret };
}

export function podManifest(input: PodInput): Manifest {
  const { record, settings } = input;
  const { plain, secret } = splitSecrets(input.env);
  const secretRef = secretName(record.session);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(record.session),
      namespace: settings.namespace,
      labels: selectorLabels(input.hubId, record),
      annotations: labelsFor(input.hubId, record),
    },
    spec: {
      // A bare Pod, never restarted: a worker is one Claude session whose end is its task's end
      // (docs/kubernetes.md, "Pod or Job").
      restartPolicy: 'Never',
      activeDeadlineSeconds: Math.max(1, Math.ceil(input.deadlineSeconds)),
      automountServiceAccountToken: false,
      ...(settings.serviceAccount ? { serviceAccountName: settings.serviceAccount } : {}),
      nodeSelector: settings.nodeSelector,
      tolerations: settings.tolerations,
      containers: [
        {
          name: CONTAINER,
          image: record.image,
          imagePullPolicy: settings.imagePullPolicy,
          args: input.args,
          tty: true,
          stdin: true,
          workingDir: WORKDIR,
          env: [
            ...Object.entries(plain).map(([name, value]) => ({ name, value })),
            ...Object.keys(secret).map((name) => ({
              name,
              valueFrom: { secretKeyRef: { name: secretRef, key: name } },
            })),
          ],
          resources: {
            requests: { cpu: settings.cpuRequest, memory: settings.memoryRequest },
            limits: { cpu: settings.cpuLimit, memory: settings.memoryLimit },
          },
        },
      ],
    },
  };
}

/** The worker's Secret, owned by its pod (`uid`): the cluster's garbage collector deletes it with the pod. */
export function secretManifest(
  input: PodInput,
  podUid: string,
  extra: Record<string, string> = {},
): Manifest {
  const { secret } = splitSecrets(input.env);
  const pod = podName(input.record.session);
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: secretName(input.record.session),
      namespace: input.settings.namespace,
      labels: selectorLabels(input.hubId, input.record),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod, uid: podUid }],
    },
    type: 'Opaque',
    stringData: { ...secret, ...extra },
  };
}
