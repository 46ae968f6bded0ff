// How Kubernetes workers run: where the cluster is (kubeconfig), the namespace, image, resources, node
// placement, how the pod reaches the hub, and how long a pod may take to start. Set in code (createHub
// ports `kubernetes`) or with SWITCHBOARD_KUBE_* environment variables; docs/kubernetes.md lists them.
import { z } from 'zod';
import { DEFAULT_WORKER_IMAGE } from '../workers/config.js';

export const TolerationSchema = z
  .object({
    key: z.string().optional(),
    operator: z.enum(['Exists', 'Equal']).optional(),
    value: z.string().optional(),
    effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']).optional(),
    tolerationSeconds: z.number().int().optional(),
  })
  .strict();

/** A Kubernetes quantity as the API takes it: `500m`, `2`, `4Gi`. */
const Quantity = z
  .string()
  .regex(/^\d+(\.\d+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, 'a quantity such as 500m, 2 or 4Gi');

export const KubeSettingsSchema = z.object({
  /** A kubeconfig file; unset: KUBECONFIG, then ~/.kube/config, then the in-cluster service account. */
  kubeconfig: z.string().min(1).optional(),
  /** The kubeconfig context to use; unset: its current context. */
  context: z.string().min(1).optional(),
  namespace: z.string().min(1).default('switchboard'),
  image: z.string().min(1).default(DEFAULT_WORKER_IMAGE),
  /** Images a session's spawn_worker may name besides `image`. */
  allowedImages: z.array(z.string().min(1)).default([]),
  imagePullPolicy: z.enum(['Always', 'IfNotPresent', 'Never']).default('IfNotPresent'),
  /** The pod's service account; unset: the namespace's default (workers need no API access). */
  serviceAccount: z.string().min(1).optional(),
  cpuRequest: Quantity.default('500m'),
  cpuLimit: Quantity.default('2'),
  memoryRequest: Quantity.default('1Gi'),
  memoryLimit: Quantity.default('4Gi'),
  nodeSelector: z.record(z.string(), z.string()).default({}),
  tolerations: z.array(TolerationSchema).default([]),
  /**
   * The hub's URL as a pod sees it: a Service in front of the hub (plain HTTP inside the cluster). The LAN
   * listener is not one yet: it serves no /hooks, /mcp or /workers (docs/kubernetes.md, "Not built yet").
   */
  hubUrl: z.string().url().optional(),
  /** s: how long a pod may take to be scheduled, pull its image and start before the worker fails. */
  startTimeoutSeconds: z.number().int().min(1).default(300),
  /** bytes: the largest git bundle a pod worker may send its work back in (docs/kubernetes.md). */
  maxBundleBytes: z
    .number()
    .int()
    .min(1024)
    .default(256 * 1024 * 1024),
  /**
   * s: how long another hub's Lease may go unrenewed before this hub deletes that hub's worker pods (it is
   * gone: docs/kubernetes.md). A hub that comes back sooner adopts its pods again.
   */
  goneHubGraceSeconds: z.number().min(1).default(900),
  /** ms: how often the hub asks for a starting pod's phase. */
  pollIntervalMs: z.number().int().min(10).default(1_000),
});
export type KubeSettings = z.infer<typeof KubeSettingsSchema>;
export type KubeSettingsInput = Partial<KubeSettings>;

const parseJson = <T>(name: string, value: string, schema: z.ZodType<T>): T => {
  try {
    return schema.parse(JSON.parse(value));
  } catch (error) {
    throw new Error(`${name} is not valid JSON of the right shape: ${String(error)}`, { cause: error });
  }
};

/** Environment variable → setting, for the plain string settings. */
const STRINGS: Record<string, keyof KubeSettings> = {
  SWITCHBOARD_KUBE_CONFIG: 'kubeconfig',
  SWITCHBOARD_KUBE_CONTEXT: 'context',
  SWITCHBOARD_KUBE_NAMESPACE: 'namespace',
  SWITCHBOARD_KUBE_IMAGE: 'image',
  SWITCHBOARD_KUBE_PULL_POLICY: 'imagePullPolicy',
  SWITCHBOARD_KUBE_SERVICE_ACCOUNT: 'serviceAccount',
  SWITCHBOARD_KUBE_CPU_REQUEST: 'cpuRequest',
  SWITCHBOARD_KUBE_CPU_LIMIT: 'cpuLimit',
  SWITCHBOARD_KUBE_MEMORY_REQUEST: 'memoryRequest',
  SWITCHBOARD_KUBE_MEMORY_LIMIT: 'memoryLimit',
  SWITCHBOARD_KUBE_HUB_URL: 'hubUrl',
};

export function resolveKubeSettings(
  given: KubeSettingsInput = {},
  env: NodeJS.ProcessEnv = process.env,
): KubeSettings {
  const fromEnv: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(STRINGS)) if (env[name]) fromEnv[key] = env[name];
  if (env.SWITCHBOARD_KUBE_ALLOWED_IMAGES)
    fromEnv.allowedImages = env.SWITCHBOARD_KUBE_ALLOWED_IMAGES.split(/\s+/).filter(Boolean);
  if (env.SWITCHBOARD_KUBE_NODE_SELECTOR)
    fromEnv.nodeSelector = parseJson(
      'SWITCHBOARD_KUBE_NODE_SELECTOR',
      env.SWITCHBOARD_KUBE_NODE_SELECTOR,
      z.record(z.string(), z.string()),
    );
  if (env.SWITCHBOARD_KUBE_TOLERATIONS)
    fromEnv.tolerations = parseJson(
      'SWITCHBOARD_KUBE_TOLERATIONS',
      env.SWITCHBOARD_KUBE_TOLERATIONS,
      z.array(TolerationSchema),
    );
  if (env.SWITCHBOARD_KUBE_MAX_BUNDLE_BYTES)
    fromEnv.maxBundleBytes = z.coerce.number().parse(env.SWITCHBOARD_KUBE_MAX_BUNDLE_BYTES);
  if (env.SWITCHBOARD_KUBE_GONE_HUB_GRACE_S)
    fromEnv.goneHubGraceSeconds = z.coerce.number().parse(env.SWITCHBOARD_KUBE_GONE_HUB_GRACE_S);
  if (env.SWITCHBOARD_KUBE_START_TIMEOUT_S)
    fromEnv.startTimeoutSeconds = z.coerce.number().parse(env.SWITCHBOARD_KUBE_START_TIMEOUT_S);
  return KubeSettingsSchema.parse({ ...fromEnv, ...given });
}
