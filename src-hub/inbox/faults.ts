// Fault items: a worker (Docker or Kubernetes) that could not start for a reason only a person can fix —
// the cluster refused a verb (RBAC), the image cannot be pulled or is not built, there is no kubeconfig or
// no answer from the API server or the Docker daemon, the pod was never scheduled. The one who asked
// (often a lead session, through spawn_worker) got the coded error; the item tells a human, with the fix
// the error carries. Answered by dismissing it; a later start of the same runtime and image clears it
// (whatever was wrong is fixed).
import { HubError } from '../../src-protocol/index.js';
import type { Inbox, InboxRecord } from './inbox.js';

export type WorkerRuntime = 'docker' | 'kubernetes';

/** What a human must fix, in a few words, by error code. */
const FAULT_WORDS: Record<string, string> = {
  kubernetes_unavailable: 'the Kubernetes cluster is not reachable or refused the pod',
  docker_unavailable: 'Docker is not reachable',
  image_not_found: 'its image cannot be found or pulled',
  not_allowed: 'the cluster refused it (RBAC)',
  timeout: 'its pod never started',
};

/**
 * Whether a failed worker start needs a person. `not_allowed` only as the API server's RBAC refusal: the
 * same code for an image the asker may not use is the asker's mistake, which its own error answers.
 */
export function needsHuman(error: unknown): error is HubError {
  if (!(error instanceof HubError) || !(error.code in FAULT_WORDS)) return false;
  return error.code !== 'not_allowed' || error.message.includes('RBAC');
}

export interface FaultPorts {
  inbox: Inbox;
  context(session: string): Pick<InboxRecord, 'task' | 'chain'>;
}

export interface WorkerStart {
  runtime: WorkerRuntime;
  image?: string | undefined;
  /** Who asked for the worker: a session (id and name), or the owner (session null). */
  session: string | null;
  name: string;
}

const RUNTIME_WORDS: Record<WorkerRuntime, string> = { docker: 'Docker', kubernetes: 'Kubernetes' };
const keyOf = (start: Pick<WorkerStart, 'runtime' | 'image'>) => `${start.runtime}\n${start.image ?? ''}`;

export class FaultItems {
  /** Open fault item ids by runtime and image. */
  private readonly byStart = new Map<string, Set<string>>();

  constructor(private readonly ports: FaultPorts) {}

  /** A worker start failed: an item when a person must act, none otherwise. */
  startFailed(start: WorkerStart, error: unknown): void {
    if (!needsHuman(error)) return;
    const { inbox } = this.ports;
    const id = inbox.newId();
    const key = keyOf(start);
    const open = this.byStart.get(key) ?? new Set<string>();
    open.add(id);
    this.byStart.set(key, open);
    const worker = `${RUNTIME_WORDS[start.runtime]} worker${start.image ? ` (${start.image})` : ''}`;
    const context = start.session ? this.ports.context(start.session) : { task: null, chain: [] };
    inbox.add({
      item: {
        id,
        kind: 'fault',
        session: start.session ?? '',
        sessionName: start.name,
        title: `${worker} for ${start.name} could not start: ${FAULT_WORDS[error.code]} (${error.code})`,
        message: error.message,
        fault: {
          code: error.code,
          runtime: start.runtime,
          ...(start.image ? { image: start.image } : {}),
        },
        task: context.task ?? null,
        chain: context.chain ?? [],
        since: inbox.since(),
      },
      answer: () => {
        open.delete(id);
        return { message: `Dismissed: ${worker} could not start (${error.code}).` };
      },
    });
  }

  /** A worker of this runtime and image started: whatever kept it from starting is fixed. */
  started(start: Pick<WorkerStart, 'runtime' | 'image'>): void {
    const open = this.byStart.get(keyOf(start));
    if (!open) return;
    this.byStart.delete(keyOf(start));
    for (const id of open) this.ports.inbox.remove(id, 'gone');
  }
}
