// HTTP endpoints a pod worker's agent calls with its own session token (docs/kubernetes.md, "The
// repository"): GET /workers/repository (its worktree branch as a git bundle) and POST /workers/work (its
// commits back as a bundle, size-capped, verified and fast-forwarded onto that branch).
import { createReadStream, createWriteStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { HubError } from '../../src-protocol/index.js';
import type { SessionCredentials } from '../agents/credentials.js';
import type { Logger } from '../logger.js';
import type { FailureLimiter } from '../net/guards.js';
import { sendError, sendJson } from '../net/httpReply.js';
import type { Worktree } from '../workspaces/worktrees.js';
import { bundleBranch, bundleDirectory, receiveBundle } from './repository.js';

export const REPOSITORY_PATH = '/workers/repository';
export const WORK_PATH = '/workers/work';

export interface RepositoryRouteDeps {
  credentials: Pick<SessionCredentials, 'resolve'>;
  /** The worktree a pod worker's repository is carried from and back into; undefined: none. */
  podWorktree(sessionId: string): Worktree | undefined;
  limiter: FailureLimiter;
  logger: Logger;
  /** bytes: the largest bundle a pod may send back. */
  maxBundleBytes: number;
}

const STATUS: Partial<Record<string, number>> = {
  unauthorized: 401,
  not_allowed: 403,
  too_large: 413,
  not_fast_forward: 409,
};

/**
 * Copies the request body to `file`; past `limit` bytes it stops writing, reads the rest away (so the
 * sender gets the refusal, not a reset connection) and refuses with too_large.
 */
function saveBody(request: IncomingMessage, file: string, limit: number): Promise<void> {
  const tooLarge = () =>
    new HubError(
      'too_large',
      `The bundle is over the hub's cap of ${limit} bytes (kubernetes.maxBundleBytes).`,
    );
  if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const out = createWriteStream(file, { mode: 0o600 });
    let size = 0;
    let over = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over || (size > limit && (over = true))) return void out.destroy();
      if (!out.write(chunk)) {
        request.pause();
        out.once('drain', () => request.resume());
      }
    });
    request.on('end', () => (over ? reject(tooLarge()) : out.end(() => resolve())));
    request.on('error', reject);
    out.on('error', (error) => {
      if (!over) reject(error);
    });
  });
}

export function createRepositoryRoutes(deps: RepositoryRouteDeps) {
  // One bundle at a time per worker: a second send waits for the first to land.
  const queues = new Map<string, Promise<unknown>>();

  const workerOf = (request: IncomingMessage): { session: string; worktree: Worktree } => {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1]?.trim();
    const session = token ? deps.credentials.resolve(token) : undefined;
    if (!session) {
      // As for hooks: only a wrong credential counts against the address (none at all counts for nothing),
      // and a right one (pods behind one address) is never locked out by others' failures.
      const address = request.socket.remoteAddress ?? 'unknown';
      if (token && deps.limiter.isBlocked(address))
        throw new HubError('rate_limited', 'Too many failed attempts from this address; wait a minute.');
      if (token) deps.limiter.record(address);
      throw new HubError('unauthorized', "Missing or wrong bearer token: use the worker's session token.");
    }
    const worktree = deps.podWorktree(session);
    if (!worktree)
      throw new HubError(
        'not_allowed',
        'Only a Kubernetes worker with a repository (a git worktree on the hub) sends or fetches one.',
      );
    return { session, worktree };
  };

  const sendRepository = async (response: ServerResponse, worktree: Worktree) => {
    const bundle = bundleDirectory();
    try {
      const state = await bundleBranch(worktree, bundle.file);
      response.writeHead(200, {
        'content-type': 'application/octet-stream',
        'cache-control': 'no-store',
        'x-switchboard-branch': state.branch,
        'x-switchboard-commit': state.commit,
      });
      await pipeline(createReadStream(bundle.file), response);
    } finally {
      bundle.dispose();
    }
  };

  const takeWork = async (request: IncomingMessage, session: string, worktree: Worktree) => {
    const bundle = bundleDirectory();
    try {
      await saveBody(request, bundle.file, deps.maxBundleBytes);
      const previous = queues.get(session) ?? Promise.resolve();
      const landed = previous.catch(() => undefined).then(() => receiveBundle(worktree, bundle.file));
      queues.set(session, landed);
      const state = await landed.finally(() => {
        if (queues.get(session) === landed) queues.delete(session);
      });
      deps.logger.event('worker.work_received', { session, ...state });
      return state;
    } finally {
      bundle.dispose();
    }
  };

  return async (request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean> => {
    const method = path === REPOSITORY_PATH ? 'GET' : path === WORK_PATH ? 'POST' : undefined;
    if (!method) return false;
    try {
      const { session, worktree } = workerOf(request);
      if (request.method !== method) {
        response.writeHead(405, { allow: method }).end();
        return true;
      }
      if (method === 'GET') await sendRepository(response, worktree);
      else sendJson(response, 200, await takeWork(request, session, worktree));
    } catch (error) {
      if (error instanceof HubError) {
        deps.logger.event('worker.repository_refused', { path, code: error.code });
        if (error.code === 'too_large') response.setHeader('connection', 'close');
        sendError(
          response,
          STATUS[error.code] ?? (error.code === 'rate_limited' ? 429 : 400),
          error.code,
          error.message,
        );
      } else {
        deps.logger.error('worker.repository', error, { path });
        sendError(response, 500, 'internal', 'Internal hub error; the hub log has details.');
      }
    }
    return true;
  };
}
