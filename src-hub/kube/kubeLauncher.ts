// The Kubernetes runtime's launcher: a worker session, Claude Code in a pod (docs/kubernetes.md); the
// KubeRuntime prepares the pod, this only checks what a worker cannot be asked to do.
import { HubError } from '../../src-protocol/index.js';
import type { CreateOptions, Launch, Launcher } from '../sessions/launcher.js';
import type { KubeRuntime } from './runtime.js';

export class KubeLauncher implements Launcher {
  readonly runtime = 'kubernetes';

  constructor(
    private readonly pods: Pick<KubeRuntime, 'launch'>,
    /** The hub's URL once it listens: a pod's Claude calls back to its hook and MCP endpoints. */
    private readonly hubUrl: () => string | undefined,
  ) {}

  async launch(options: CreateOptions, id: string): Promise<Launch> {
    if (options.command)
      throw new HubError(
        'invalid_message',
        'A Kubernetes worker runs Claude Code; another program is SWITCHBOARD_WORKER_COMMAND.',
      );
    const hubUrl = this.hubUrl();
    if (!hubUrl)
      throw new HubError('not_allowed', 'Workers need a listening hub (its MCP and hook endpoints).');
    return this.pods.launch(options, id, hubUrl);
  }
}
