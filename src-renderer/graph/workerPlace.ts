// Where a session runs, as the graph and the sidebar mark it: this machine, a Docker container, or a
// Kubernetes pod with the node it was scheduled on (docs/kubernetes.md, issue 15).
import type { SessionInfo } from '../../src-protocol/index.js';

export interface WorkerPlace {
  /** Short mark: `local`, `container`, or `pod`. */
  kind: 'local' | 'container' | 'pod';
  /** What to show: the mark, with the pod's node once it has one (`pod · node-1`). */
  text: string;
  /** The longer explanation for a tooltip. */
  title: string;
}

export function workerPlace(worker: SessionInfo['worker']): WorkerPlace {
  if (!worker) return { kind: 'local', text: 'local', title: "Runs on the hub's machine" };
  if (worker.runtime === 'kubernetes') {
    const node = worker.node ?? null;
    return {
      kind: 'pod',
      text: node ? `pod · ${node}` : 'pod',
      title:
        `Kubernetes pod ${worker.container} (${worker.image}), ` +
        `${node ? `on node ${node}` : 'not scheduled yet'}${worker.phase ? `, ${worker.phase}` : ''}`,
    };
  }
  return {
    kind: 'container',
    text: 'container',
    title: `Docker container ${worker.container} (${worker.image})`,
  };
}
