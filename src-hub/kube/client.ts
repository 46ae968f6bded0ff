// The official Kubernetes client, loaded only when a Kubernetes worker is first asked for (the CLI's start
// and hubs without Kubernetes never load it): kubeconfig from the usual places, and the API's failures
// (no kubeconfig, no answer, RBAC, a missing object) as coded errors that say what to do.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import type * as Kube from '@kubernetes/client-node';
import type { WebSocketHandler as WebSocketHandlerClass } from '@kubernetes/client-node/dist/web-socket-handler.js';
import { HubError } from '../../src-protocol/index.js';
import type { KubeSettings } from './settings.js';

export interface KubeClient {
  readonly kube: typeof Kube;
  /** Not exported from the package's root: the attach WebSocket's handler, given our own streams. */
  readonly WebSocketHandler: typeof WebSocketHandlerClass;
  readonly config: Kube.KubeConfig;
  readonly core: Kube.CoreV1Api;
  /** Where the API server is, for messages. */
  readonly server: string;
}

/** Which kubeconfig to read, in the order kubectl uses; undefined: in the cluster, or none at all. */
export function kubeconfigPath(settings: KubeSettings, env: NodeJS.ProcessEnv): string | undefined {
  if (settings.kubeconfig) return settings.kubeconfig;
  const fromEnv = (env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  if (fromEnv.length > 0) return fromEnv.find((path) => existsSync(path)) ?? fromEnv[0];
  const home = join(env.HOME || homedir(), '.kube', 'config');
  return existsSync(home) ? home : undefined;
}

export async function connectKube(settings: KubeSettings, env: NodeJS.ProcessEnv): Promise<KubeClient> {
  const kube = await import('@kubernetes/client-node');
  const { WebSocketHandler } = await import('@kubernetes/client-node/dist/web-socket-handler.js');
  const config = new kube.KubeConfig();
  const path = kubeconfigPath(settings, env);
  try {
    if (path) config.loadFromFile(path);
    else if (env.KUBERNETES_SERVICE_HOST) config.loadFromCluster();
    else
      throw new HubError(
        'kubernetes_unavailable',
        'No kubeconfig for Kubernetes workers: none at KUBECONFIG or ~/.kube/config, and the hub does not run ' +
          'in a cluster. Point SWITCHBOARD_KUBE_CONFIG (or KUBECONFIG) at one (docs/kubernetes.md).',
      );
    if (settings.context) config.setCurrentContext(settings.context);
  } catch (error) {
    if (error instanceof HubError) throw error;
    throw new HubError(
      'kubernetes_unavailable',
      `Cannot read the kubeconfig ${path ?? '(in-cluster service account)'}: ${(error as Error).message}`,
    );
  }
  const cluster = config.getCurrentCluster();
  if (!cluster)
    throw new HubError(
      'kubernetes_unavailable',
      `The kubeconfig ${path ?? ''} has no current cluster; set its current-context or SWITCHBOARD_KUBE_CONTEXT.`,
    );
  return {
    kube,
    WebSocketHandler,
    config,
    core: config.makeApiClient(kube.CoreV1Api),
    server: cluster.server,
  };
}

/** The Status object Kubernetes answers a refused request with, if the error carries one. */
function statusOf(error: unknown): { code?: number; reason?: string; message?: string } | undefined {
  // The attach WebSocket's refusal arrives as the ws library's error, with the status in its message.
  const refused = /Unexpected server response: (\d{3})/.exec(String((error as Error)?.message ?? ''));
  if (refused) return { code: Number(refused[1]), message: 'the attach upgrade was refused.' };
  const { code, body } = error as { code?: unknown; body?: unknown };
  if (typeof code !== 'number') return undefined;
  let status: unknown = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      status = { message: body };
    }
  }
  const { reason, message } = (status ?? {}) as { reason?: string; message?: string };
  return { code, ...(reason ? { reason } : {}), ...(message ? { message } : {}) };
}

export const isNotFound = (error: unknown) => statusOf(error)?.code === 404;

/** A failed API call as a HubError: what was refused and what to do about it. */
export function kubeFailure(error: unknown, doing: string, server: string): HubError {
  if (error instanceof HubError) return error;
  const status = statusOf(error);
  if (status?.code === 403)
    return new HubError(
      'not_allowed',
      `Kubernetes refused ${doing} (RBAC, 403 Forbidden): ${status.message ?? status.reason ?? ''} Give the ` +
        "hub's account the Role in docs/kubernetes.md (pods, pods/attach, pods/log, secrets).",
    );
  if (status?.code === 401)
    return new HubError(
      'kubernetes_unavailable',
      `Kubernetes did not accept the hub's credentials while ${doing} (401): renew them in the kubeconfig.`,
    );
  if (status)
    return new HubError(
      'kubernetes_unavailable',
      `Kubernetes answered ${status.code} ${status.reason ?? ''} while ${doing}: ${status.message ?? ''}`.trim(),
    );
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as { code?: string }).code;
  return new HubError(
    'kubernetes_unavailable',
    `No answer from the Kubernetes API server at ${server} while ${doing}` +
      `${cause ? ` (${cause})` : `: ${String((error as Error).message ?? error)}`}. Check that the ` +
      'cluster is up and the kubeconfig points at it.',
  );
}
