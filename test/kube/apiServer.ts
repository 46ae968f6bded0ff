// A stand-in Kubernetes API server for tests, on loopback: the core/v1 JSON REST the hub uses for pods and
// secrets (create, get, list with label selectors, delete, watch), Status objects for refusals, bearer-token
// authentication, and the attach subresource over WebSocket (v5/v4.channel.k8s.io) onto real processes
// under real ptys (podProcesses.ts). Switches make it refuse verbs (RBAC), fail image pulls, never schedule,
// or lose a pod as a cluster would. No Kubernetes code is reused: only the wire formats.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { V1ObjectMeta, V1Pod, V1PodSpec, V1PodStatus, V1Secret } from '@kubernetes/client-node';
import { WebSocketServer } from 'ws';
import {
  endAttachments,
  resolveEnvironment,
  runContainer,
  serveAttach,
  type ContainerSpec,
  type RunningContainer,
} from './podProcesses.js';
import { StandInLeases } from './leases.js';
import { loopbackCertificate } from './tls.js';
import { matches, readBody, status, type Json } from './wire.js';

/** What the stand-in stores: the API's objects, with the fields the server always sets. */
type Meta = V1ObjectMeta & { name: string; namespace: string; uid: string; resourceVersion: string };
export type Pod = V1Pod & { metadata: Meta; spec: V1PodSpec; status: V1PodStatus };
export type Secret = V1Secret & { metadata: Meta };

const SUBPROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
export const NODE_NAME = 'standin-node-1';

export interface StandInOptions {
  /** image → what its ENTRYPOINT runs (the pod's args follow). */
  images: Record<string, string[]>;
  namespace?: string;
}

export class StandInApiServer {
  readonly token: string = randomUUID();
  /** RBAC switches: "verb resource" pairs refused with 403, e.g. "create pods", "get pods/attach". */
  readonly forbidden = new Set<string>();
  /** Images whose pull fails (ErrImagePull, then ImagePullBackOff). */
  readonly unpullable = new Set<string>();
  /** No node takes new pods: they stay Pending with an Unschedulable condition. */
  neverSchedule = false;
  /** Every request seen, "VERB path" (for assertions on what the hub asked). */
  readonly requests: string[] = [];
  readonly pods = new Map<string, Pod>();
  readonly secrets = new Map<string, Secret>();
  readonly leases = new StandInLeases();
  private readonly containers = new Map<string, RunningContainer>();
  private readonly watchers = new Set<{ resource: string; selector: string | null; res: ServerResponse }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: ReturnType<typeof createServer>;
  private cert = '';
  private readonly sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => SUBPROTOCOLS.find((protocol) => offered.has(protocol)) ?? false,
  });
  url = '';

  constructor(private readonly options: StandInOptions) {}

  /** Listens on 127.0.0.1 over TLS (a fresh certificate, trusted through the kubeconfig). */
  async listen(): Promise<this> {
    const tls = await loopbackCertificate();
    this.cert = tls.cert;
    this.server = createServer(tls, (req, res) => void this.handle(req, res));
    this.server.on('upgrade', (req, socket: Socket, head) => this.upgrade(req, socket, head));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Writes a kubeconfig for this server (a bearer token user) and returns its path. */
  kubeconfig(path: string, token = this.token): string {
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        '- name: standin',
        `  cluster: {server: "${this.url}", certificate-authority-data: "${Buffer.from(this.cert).toString('base64')}"}`,
        'users:',
        '- name: hub',
        `  user: {token: "${token}"}`,
        'contexts:',
        '- name: standin',
        '  context: {cluster: standin, user: hub}',
        'current-context: standin',
        '',
      ].join('\n'),
    );
    return path;
  }

  /** A running pod's pty size, as the attach's resize channel left it. */
  containerSize(podKey: string): { cols: number; rows: number } | undefined {
    const running = this.containers.get(podKey);
    return running && { ...running.size };
  }

  /** A pod's container killed (an OOM kill, a crash): the pod stays, Failed with exit status 137. */
  killContainer(name: string): void {
    const key = [...this.containers.keys()].find((item) => item.endsWith(`/${name}`));
    if (key) this.containers.get(key)?.kill('SIGKILL');
  }

  /** A pod lost as a cluster loses one (deleted by someone else, or its node gone): its process ends. */
  deleteFromOutside(name: string): void {
    this.deletePod(name, 0);
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const name of [...this.pods.keys()]) this.deletePod(name, 0);
    for (const watcher of this.watchers) watcher.res.end();
    for (const client of this.sockets.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    // Wait (bounded) for the processes to be gone.
    for (let tries = 0; tries < 50 && this.containers.size > 0; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
  }

  private later(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
  }

  private refused(verb: string, resource: string, namespace: string): Json | undefined {
    if (!this.forbidden.has(`${verb} ${resource}`)) return undefined;
    const [kind, sub] = resource.split('/');
    return status(
      403,
      'Forbidden',
      `${resource} is forbidden: User "system:serviceaccount:switchboard:hub" cannot ${verb} resource ` +
        `"${kind}"${sub ? ` subresource "${sub}"` : ''} in API group "" in the namespace "${namespace}"`,
      { kind },
    );
  }

  private send(res: ServerResponse, code: number, body: object): void {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`${req.method} ${url.pathname}`);
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return this.send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    if (await this.leases.handle(req, res, url, (verb, ns) => this.refused(verb, 'leases', ns))) return;
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|secrets)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!match)
      return this.send(res, 404, status(404, 'NotFound', `the server could not find ${url.pathname}`));
    const [, namespace, resource, name] = match as unknown as [string, string, 'pods' | 'secrets', string?];
    const watch = url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
    const verb = { GET: name ? 'get' : watch ? 'watch' : 'list', POST: 'create', DELETE: 'delete' }[
      req.method ?? ''
    ];
    if (!verb) return this.send(res, 405, status(405, 'MethodNotAllowed', `${req.method} is not supported`));
    const refusal = this.refused(verb, resource, namespace);
    if (refusal) return this.send(res, 403, refusal);
    const store: Map<string, Pod | Secret> = resource === 'pods' ? this.pods : this.secrets;
    const key = (item: string) => `${namespace}/${item}`;
    if (verb === 'create') {
      const body = JSON.parse(await readBody(req)) as Pod & Secret;
      const itemName = body.metadata.name;
      if (store.has(key(itemName)))
        return this.send(res, 409, status(409, 'AlreadyExists', `${resource} "${itemName}" already exists`));
      body.metadata = {
        ...body.metadata,
        namespace,
        uid: randomUUID(),
        creationTimestamp: new Date(),
        resourceVersion: '1',
      };
      if (resource === 'secrets') {
        body.data = Object.fromEntries(
          Object.entries(body.stringData ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        );
        delete body.stringData;
        this.secrets.set(key(itemName), body);
      } else {
        body.status = { phase: 'Pending', conditions: [] };
        this.pods.set(key(itemName), body);
        this.later(50, () => this.schedule(key(itemName)));
      }
      this.notify(resource, 'ADDED', body);
      return this.send(res, 201, body);
    }
    if (verb === 'get' || verb === 'delete') {
      const item = store.get(key(name!));
      if (!item)
        return this.send(res, 404, status(404, 'NotFound', `${resource} "${name}" not found`, { name }));
      if (verb === 'delete') {
        if (resource === 'pods')
          this.deletePod(key(name!), Number(url.searchParams.get('gracePeriodSeconds') ?? 30));
        else {
          store.delete(key(name!));
          this.notify(resource, 'DELETED', item);
        }
      }
      return this.send(res, 200, item);
    }
    const selector = url.searchParams.get('labelSelector');
    const items = [...store.entries()]
      .filter(
        ([itemKey, item]) => itemKey.startsWith(`${namespace}/`) && matches(item.metadata?.labels, selector),
      )
      .map(([, item]) => item);
    if (verb === 'list')
      return this.send(res, 200, {
        kind: resource === 'pods' ? 'PodList' : 'SecretList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1' },
        items,
      });
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    res.flushHeaders(); // the client's watch starts once the headers arrive
    for (const item of items) res.write(`${JSON.stringify({ type: 'ADDED', object: item })}\n`);
    const watcher = { resource, selector, res };
    this.watchers.add(watcher);
    req.on('close', () => this.watchers.delete(watcher));
  }

  private notify(resource: string, type: 'ADDED' | 'MODIFIED' | 'DELETED', object: Pod | Secret): void {
    for (const watcher of this.watchers)
      if (watcher.resource === resource && matches(object.metadata.labels, watcher.selector))
        watcher.res.write(`${JSON.stringify({ type, object })}\n`);
  }

  private setStatus(pod: Pod, change: Partial<V1PodStatus>): void {
    pod.status = { ...pod.status, ...change };
    pod.metadata.resourceVersion = String(Number(pod.metadata.resourceVersion) + 1);
    this.notify('pods', 'MODIFIED', pod);
  }

  /** The scheduler and kubelet in one: a node, the image pull, the Secrets it needs, then the process. */
  private schedule(podKey: string): void {
    const pod = this.pods.get(podKey);
    if (!pod || pod.status.phase !== 'Pending') return;
    const container = pod.spec.containers[0] as ContainerSpec;
    const image = container.image;
    if (this.neverSchedule)
      return this.setStatus(pod, {
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/1 nodes are available: 1 Insufficient cpu.',
          },
        ],
      });
    pod.spec.nodeName = NODE_NAME;
    const waiting = (reason: string, message: string) => ({
      containerStatuses: [
        {
          name: 'worker',
          image,
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason, message } },
        },
      ],
    });
    const entrypoint = this.options.images[image];
    if (this.unpullable.has(image) || !entrypoint) {
      this.setStatus(pod, waiting('ErrImagePull', `failed to pull image "${image}": not found`));
      return this.later(200, () => {
        if (this.pods.get(podKey) === pod)
          this.setStatus(pod, waiting('ImagePullBackOff', `Back-off pulling image "${image}"`));
      });
    }
    let env: Record<string, string>;
    try {
      const namespace = pod.metadata.namespace;
      env = resolveEnvironment(container, (name) => {
        const data = this.secrets.get(`${namespace}/${name}`)?.data;
        return (
          data &&
          Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]))
        );
      });
    } catch (error) {
      this.setStatus(pod, waiting('CreateContainerConfigError', (error as Error).message));
      return this.later(100, () => {
        pod.status.phase = 'Pending';
        this.schedule(podKey);
      });
    }
    const running = runContainer(entrypoint, container, env, (exitCode, signal) =>
      this.exited(podKey, pod, exitCode, signal),
    );
    this.containers.set(podKey, running);
    this.setStatus(pod, {
      phase: 'Running',
      startTime: new Date(),
      containerStatuses: [
        {
          name: 'worker',
          image,
          imageID: '',
          ready: true,
          restartCount: 0,
          state: { running: { startedAt: new Date() } },
        },
      ],
    });
    const deadline = pod.spec.activeDeadlineSeconds;
    if (deadline)
      this.later(deadline * 1000, () => {
        if (this.containers.get(podKey) !== running) return;
        pod.status.reason = 'DeadlineExceeded';
        pod.status.message = `Pod was active on the node longer than the specified deadline`;
        running.kill('SIGKILL');
      });
  }

  private exited(podKey: string, pod: Pod, exitCode: number, signal: number): void {
    const running = this.containers.get(podKey);
    this.containers.delete(podKey);
    const code = signal ? 128 + signal : exitCode;
    this.setStatus(pod, {
      phase: code === 0 ? 'Succeeded' : 'Failed',
      containerStatuses: [
        {
          name: 'worker',
          image: pod.spec.containers[0]?.image ?? '',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: {
            terminated: {
              exitCode: code,
              reason: code === 0 ? 'Completed' : 'Error',
              finishedAt: new Date(),
            },
          },
        },
      ],
    });
    if (running) endAttachments(running, code);
  }

  /** Deletes a pod: its process is ended (SIGTERM, SIGKILL after the grace period) and its owned Secrets go. */
  private deletePod(podKey: string, graceSeconds: number): void {
    const key = podKey.includes('/')
      ? podKey
      : [...this.pods.keys()].find((item) => item.endsWith(`/${podKey}`));
    const pod = key ? this.pods.get(key) : undefined;
    if (!key || !pod) return;
    this.pods.delete(key);
    const running = this.containers.get(key);
    if (running) {
      running.kill(graceSeconds === 0 ? 'SIGKILL' : 'SIGTERM');
      if (graceSeconds > 0) this.later(Math.min(graceSeconds, 2) * 1000, () => running.kill('SIGKILL'));
    }
    this.notify('pods', 'DELETED', pod);
    // The garbage collector: Secrets owned by this pod go with it.
    for (const [secretKey, secret] of this.secrets)
      if ((secret.metadata.ownerReferences ?? []).some((owner) => owner.uid === pod.metadata.uid)) {
        this.secrets.delete(secretKey);
        this.notify('secrets', 'DELETED', secret);
      }
  }

  private upgrade(req: IncomingMessage, socket: Socket, head: Buffer): void {
    const url = new URL(req.url ?? '/', this.url);
    this.requests.push(`UPGRADE ${url.pathname}`);
    const reject = (code: number, body: Json) => {
      socket.end(
        `HTTP/1.1 ${code} ${String(body.reason)}\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n${JSON.stringify(body)}`,
      );
    };
    if (req.headers.authorization !== `Bearer ${this.token}`)
      return reject(401, status(401, 'Unauthorized', 'Unauthorized'));
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/attach$/.exec(url.pathname);
    if (!match) return reject(404, status(404, 'NotFound', 'not found'));
    const [, namespace, name] = match as unknown as [string, string, string];
    const refusal = this.refused('get', 'pods/attach', namespace);
    if (refusal) return reject(403, refusal);
    const running = this.containers.get(`${namespace}/${name}`);
    if (!running) return reject(400, status(400, 'BadRequest', `pod ${name} is not running`));
    this.sockets.handleUpgrade(req, socket, head, (client) => serveAttach(client, running));
  }
}
