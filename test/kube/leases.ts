// The stand-in API server's coordination.k8s.io/v1 Leases (what a hub renews while it runs): get, list,
// create (409 when taken), replace (409 on a stale resourceVersion) and delete, as JSON REST.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { V1Lease } from '@kubernetes/client-node';
import { readBody, status, type Json } from './wire.js';

const PATH = /^\/apis\/coordination\.k8s\.io\/v1\/namespaces\/([^/]+)\/leases(?:\/([^/]+))?$/;

export class StandInLeases {
  /** "namespace/name" → the Lease as stored (renewTime as the client sent it). */
  readonly items = new Map<string, V1Lease & { metadata: { name: string; resourceVersion: string } }>();

  /** Handles a Lease request; false when the path is not one. `refused` says whether RBAC refuses the verb. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    refused: (verb: string, namespace: string) => Json | undefined,
  ): Promise<boolean> {
    const match = PATH.exec(url.pathname);
    if (!match) return false;
    const [, namespace = '', name] = match;
    const send = (code: number, body: object) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const verbs: Record<string, string> = {
      GET: name ? 'get' : 'list',
      POST: 'create',
      PUT: 'update',
      DELETE: 'delete',
    };
    const verb = verbs[req.method ?? ''];
    if (!verb) return (send(405, status(405, 'MethodNotAllowed', `${req.method} is not supported`)), true);
    const refusal = refused(verb, namespace);
    if (refusal) return (send(403, refusal), true);
    if (verb === 'list') {
      const items = [...this.items.entries()]
        .filter(([key]) => key.startsWith(`${namespace}/`))
        .map(([, v]) => v);
      return (
        send(200, { kind: 'LeaseList', apiVersion: 'coordination.k8s.io/v1', metadata: {}, items }),
        true
      );
    }
    const body =
      verb === 'create' || verb === 'update' ? (JSON.parse(await readBody(req)) as V1Lease) : undefined;
    const key = `${namespace}/${name ?? body?.metadata?.name ?? ''}`;
    const current = this.items.get(key);
    if (verb === 'create') {
      if (current) return (send(409, status(409, 'AlreadyExists', `leases "${name}" already exists`)), true);
      const stored = {
        ...body,
        metadata: {
          ...body?.metadata,
          name: key.split('/')[1]!,
          namespace,
          uid: randomUUID(),
          resourceVersion: '1',
        },
      };
      this.items.set(key, stored);
      return (send(201, stored), true);
    }
    if (!current) return (send(404, status(404, 'NotFound', `leases "${name}" not found`, { name })), true);
    if (verb === 'get') return (send(200, current), true);
    if (verb === 'delete') return (this.items.delete(key), send(200, current), true);
    if (body?.metadata?.resourceVersion !== current.metadata.resourceVersion)
      return (
        send(
          409,
          status(
            409,
            'Conflict',
            `the object has been modified; please apply your changes to the latest version`,
          ),
        ),
        true
      );
    const resourceVersion = String(Number(current.metadata.resourceVersion) + 1);
    const stored = {
      ...body,
      metadata: { ...current.metadata, ...body?.metadata, name: current.metadata.name, resourceVersion },
    };
    this.items.set(key, stored);
    return (send(200, stored), true);
  }
}
